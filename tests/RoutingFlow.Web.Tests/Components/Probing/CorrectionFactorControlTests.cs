using System.Security.Claims;
using RoutingFlow.Web.Components.Probing;
using RoutingFlow.Web.Security;

namespace RoutingFlow.Web.Tests.Components.Probing;

public class CorrectionFactorControlTests : MudBlazorTestContext
{
    private void AllowControl(string via) => Authorization.SetAuthorized(via).SetClaims(
        new Claim(DashboardAccess.ControlClaim, "true"), new Claim(ClaimTypes.AuthenticationMethod, via));

    [Fact]
    public void NotAllowed_OffersSignInInsteadOfTheControl()
    {
        var cut = Render<CorrectionFactorControl>(p => p.Add(c => c.Factor, 10));

        Assert.Equal("10", cut.Find("[data-testid=correction-value]").TextContent);
        Assert.Equal("/signin?returnUrl=%2Fprobe", cut.Find("[data-testid=correction-signin]").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=correction-input]"));
        Assert.Empty(cut.FindAll("[data-testid=probe-now]")); // the same key rule as the other controls
    }

    [Fact]
    public void SignedIn_SetsTheFactor()
    {
        AllowControl("api-key");
        var cut = Render<CorrectionFactorControl>(p => p.Add(c => c.Factor, 1));

        cut.Find("[data-testid=correction-input]").Input("2.5");
        cut.Find("[data-testid=correction-set]").Click();

        Assert.Equal(["2.5"], Probes.Set);
        Assert.Equal("Correction factor set to: 2.5", cut.Find("[data-testid=correction-message]").TextContent);
    }

    [Fact]
    public void SignedIn_ProbesNow()
    {
        AllowControl("api-key");
        var cut = Render<CorrectionFactorControl>(p => p.Add(c => c.Factor, 1));

        cut.Find("[data-testid=probe-now]").Click();

        Assert.Equal(1, Probes.ProbeNowCalls);
        Assert.Equal("Probing every target now", cut.Find("[data-testid=correction-message]").TextContent);
    }

    [Fact]
    public void BadValue_ShowsTheReason()
    {
        AllowControl("loopback");
        var cut = Render<CorrectionFactorControl>(p => p.Add(c => c.Factor, 1));

        cut.Find("[data-testid=correction-input]").Input("abc");
        cut.Find("[data-testid=correction-set]").Click();

        Assert.Empty(Probes.Set);
        Assert.Equal("invalid correction factor 'abc': must be a positive number", cut.Find("[data-testid=correction-message]").TextContent);
    }

    [Fact]
    public void AuthenticatedWithoutTheControlClaim_IsNotAllowed()
    {
        Authorization.SetAuthorized("someone");

        var cut = Render<CorrectionFactorControl>(p => p.Add(c => c.Factor, 1));

        Assert.NotEmpty(cut.FindAll("[data-testid=correction-signin]"));
    }
}
