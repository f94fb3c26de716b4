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

    private ProbeFeed Feed(string? apiKey) => new(_state, _time, new RoutingFlow.Server.Security.SecurityOptions { ApiKey = apiKey }, Audit);

    private RoutingFlow.Server.Security.AuditLog Audit { get; } = new(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<RoutingFlow.Server.Security.AuditLog>.Instance);

    [Theory]
    [InlineData(null, "no API key is configured")]
    [InlineData("k", "needs the API key: sign in first")]
    public async Task SetCorrectionFactor_UserWithoutControl_IsRefusedSayingWhy(string? key, string why)
    {
        var error = await Feed(key).SetCorrectionFactorAsync(new ClaimsPrincipal(new ClaimsIdentity()), "2");

        Assert.Contains(why, error, StringComparison.Ordinal);
        Assert.Equal(1, _state.Factor);
        var audited = Assert.Single(Audit.Entries(10));
        Assert.Equal(("anonymous", "dashboard: set correction factor 2", 403, error), (audited.Who, audited.What, audited.Status, audited.Result));
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
        Assert.Equal([("loopback", 400), ("signed-in", 200)], Audit.Entries(10).Select(e => (e.Who, e.Status)));
    }
}
