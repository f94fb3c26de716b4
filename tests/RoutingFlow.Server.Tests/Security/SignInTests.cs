using RoutingFlow.Server.Dashboard;
using RoutingFlow.Server.Security;
using RoutingFlow.Web.Security;

namespace RoutingFlow.Server.Tests.Security;

public class SignInTests
{
    [Theory]
    [InlineData("/probe", "/probe")]
    [InlineData("/probe?x=1", "/probe?x=1")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("/\t/evil.example", "/")]
    [InlineData("/\n/evil.example", "/")]
    [InlineData("/\u007f/x", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("", "/")]
    public void LocalOrHome_KeepsOnlyPathsOnThisServer(string returnUrl, string expected) =>
        Assert.Equal(expected, SignInApi.LocalOrHome(returnUrl));

    [Fact]
    public void SignIn_ExpiresAfterItsLifetime_LoopbackNever()
    {
        var now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var signedIn = DashboardAccess.Principal("api-key", now + DashboardAccess.SignInLifetime);

        Assert.True(DashboardAccess.StillValid(signedIn, now.AddHours(11)));
        Assert.False(DashboardAccess.StillValid(signedIn, now.AddHours(12)));
        Assert.True(DashboardAccess.StillValid(DashboardAccess.Principal("loopback"), now.AddYears(1)));
    }

    [Fact]
    public void KeyMatches_ComparesWholeKeys()
    {
        Assert.True(ApiKeyMiddleware.KeyMatches("secret", "secret"));
        Assert.False(ApiKeyMiddleware.KeyMatches("secre", "secret"));
        Assert.False(ApiKeyMiddleware.KeyMatches("", "secret"));
    }
}
