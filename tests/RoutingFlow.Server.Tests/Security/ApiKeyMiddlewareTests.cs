using System.Net;
using RoutingFlow.Server.Security;

namespace RoutingFlow.Server.Tests.Security;

public class ApiKeyMiddlewareTests
{
    private static readonly IPAddress Remote = IPAddress.Parse("198.18.0.1");

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public void Check_Reads_AreAlwaysAllowed(string method) =>
        Assert.Null(ApiKeyMiddleware.Check(method, Remote, "", null));

    [Fact]
    public void Check_ChangeFromLoopback_IsAllowedWithoutKey() =>
        Assert.Null(ApiKeyMiddleware.Check("POST", IPAddress.IPv6Loopback, "", null));

    [Fact]
    public void Check_ChangeFromElsewhereWithoutConfiguredKey_IsRefusedWithExplanation() =>
        Assert.Contains("no API key is configured", ApiKeyMiddleware.Check("POST", Remote, "secret", null));

    [Fact]
    public void Check_ChangeFromElsewhereWithRightKey_IsAllowed() =>
        Assert.Null(ApiKeyMiddleware.Check("PUT", Remote, "secret", "secret"));

    [Theory]
    [InlineData("", "need the X-Api-Key header")]
    [InlineData("wrong", "does not match")]
    public void Check_ChangeFromElsewhereWithBadKey_IsRefused(string presented, string reason) =>
        Assert.Contains(reason, ApiKeyMiddleware.Check("DELETE", Remote, presented, "secret"));
}
