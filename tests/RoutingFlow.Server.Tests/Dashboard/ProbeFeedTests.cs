using RoutingFlow.Server.Dashboard;
using System.Security.Claims;
using Microsoft.Extensions.Time.Testing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Probing;
using RoutingFlow.Server.Probing;
using RoutingFlow.Web.Security;

namespace RoutingFlow.Server.Tests.Dashboard;

public sealed class ProbeFeedTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("rf-feed-").FullName;
    private readonly ProbeState _state;
    private readonly FakeTimeProvider _time = new();

    public ProbeFeedTests()
    {
        var settings = SettingsBuilder.TryBuild(new RoutingFlowOptions(), [new NicDeclaration("wan0", "eth0")], () => null, [])!;
        _state = new ProbeState(settings.Probe, new CorrectionFactorStore(_data, 1), new ProbeTraffic(), _time);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private ProbeFeed Feed(string? apiKey) => new(_state, _time, new RoutingFlow.Server.Security.SecurityOptions { ApiKey = apiKey });

    [Theory]
    [InlineData(null, "no API key is configured")]
    [InlineData("k", "needs the API key: sign in first")]
    public async Task SetCorrectionFactor_UserWithoutControl_IsRefusedSayingWhy(string? key, string why)
    {
        var error = await Feed(key).SetCorrectionFactorAsync(new ClaimsPrincipal(new ClaimsIdentity()), "2");

        Assert.Contains(why, error, StringComparison.Ordinal);
        Assert.Equal(1, _state.Factor);
    }

    [Fact]
    public async Task SetCorrectionFactor_SignedIn_SetsItAndPublishes()
    {
        var feed = Feed("k");
        double? published = null;
        feed.Changed += view => published = view.CorrectionFactor;

        Assert.Null(await feed.SetCorrectionFactorAsync(DashboardAccess.Principal("api-key"), "2"));

        Assert.Equal(2, _state.Factor);
        Assert.Equal(2, published);
        Assert.Equal("invalid correction factor '0': must be a positive number", await feed.SetCorrectionFactorAsync(DashboardAccess.Principal("loopback"), "0"));
    }
}
