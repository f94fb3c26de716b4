using System.Security.Claims;
using Bunit;
using RoutingFlow.Web.Components.Monitoring;
using RoutingFlow.Web.Security;

namespace RoutingFlow.Web.Tests.Components.Monitoring;

public class AdviceApplyTests : MudBlazorTestContext
{
    [Fact]
    public void Anonymous_IsOfferedSignIn_NotTheButton()
    {
        var cut = Render<AdviceApply>();

        Assert.Equal("/signin?returnUrl=%2F", cut.Find("[data-testid=advice-signin]").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=advice-apply]"));
    }

    [Fact]
    public void Allowed_AppliesTheCurrentPlan_AndSaysWhatHappened()
    {
        Authorization.SetAuthorized("loopback").SetClaims(new Claim(DashboardAccess.ControlClaim, "true"), new Claim(ClaimTypes.AuthenticationMethod, "loopback"));
        var cut = Render<AdviceApply>();

        cut.Find("[data-testid=advice-apply]").Click();

        cut.WaitForAssertion(() => Assert.Equal("applied: move 192.168.50.12 (29.0 Mbit/s rx) wan1 → wan0", cut.Find("[data-testid=advice-message]").TextContent));
        Assert.True(DashboardAccess.CanControl(Assert.Single(Advice.Applies)));
    }
}
