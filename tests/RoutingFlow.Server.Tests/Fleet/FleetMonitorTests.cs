using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RoutingFlow.Server.Fleet;
using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Server.Tests.Fleet;

/// <summary>
/// The fleet monitor's check, fed samples as Prometheus's answers group them: the local monitor's rule and incident
/// timing per router and WAN; missing, stale or failing data is unknown with its reason, never an overload.
/// </summary>
public sealed class FleetMonitorTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly Reader _reader = new();
    private readonly FleetState _state;
    private readonly FleetMonitor _monitor;

    public FleetMonitorTests()
    {
        var options = new FleetOptions { Prometheus = new FleetPrometheusOptions { Url = "http://prometheus:9090" } };
        _state = new FleetState(options);
        _monitor = new FleetMonitor(options, new MonitorOptions(), _reader, _state, new IncidentIds(), _time, NullLogger<FleetMonitor>.Instance);
    }

    public void Dispose() => _monitor.Dispose();

    [Fact]
    public async Task AnOverloadOnOneRoutersWan_OpensOneIncidentForThatRouter_NamingItsTopHost_AndClosesAfter()
    {
        _reader.Next = at => Sample(at, ("router-a", Wan("wan1", 40e6)), ("router-b", Wan("wan1", 95e6, ("192.168.60.10", 90e6), ("192.168.60.11", 4e6))));
        for (var s = 0; s <= 4; s++, _time.Advance(TimeSpan.FromSeconds(1)))
            await _monitor.TickAsync(CancellationToken.None);

        var incident = Assert.Single(_state.Incidents());
        Assert.Equal(("router-b", "wan1", true), (incident.Router, incident.Nic, incident.IsOpen));
        Assert.Equal("192.168.60.10", incident.Culprits[0].Ip);
        Assert.Equal(90e6, incident.Culprits[0].Bps);
        var view = await _monitor.TickAsync(CancellationToken.None);
        Assert.Equal(("ok", "overloaded"), (view.Of("router-a")!.State, view.Of("router-b")!.State));
        Assert.Equal(incident.Id, view.Of("router-b")!.Wans[0].Incident!.Id);
        Assert.Empty(_state.Incidents("router-a"));

        _reader.Next = at => Sample(at, ("router-a", Wan("wan1", 40e6)), ("router-b", Wan("wan1", 20e6)));
        for (var s = 0; s <= 11; s++, _time.Advance(TimeSpan.FromSeconds(1)))
            await _monitor.TickAsync(CancellationToken.None);

        Assert.False(Assert.Single(_state.Incidents("router-b")).IsOpen);
    }

    [Fact]
    public async Task PrometheusFailing_EveryWanIsUnknownWithTheError_AndNothingOpens()
    {
        _reader.Next = at => Sample(at, ("router-b", Wan("wan1", 95e6)));
        await _monitor.TickAsync(CancellationToken.None);
        _reader.Next = _ => throw new PrometheusQueryException("Prometheus is unreachable: Connection refused");

        for (var s = 0; s <= 6; s++, _time.Advance(TimeSpan.FromSeconds(1)))
        {
            var view = await _monitor.TickAsync(CancellationToken.None);
            Assert.Equal(("failing", "Prometheus is unreachable: Connection refused"), (view.State, view.Error));
            var wan = Assert.Single(view.Of("router-b")!.Wans);
            Assert.Equal("unknown", wan.State);
            Assert.Equal("Prometheus failing: Prometheus is unreachable: Connection refused", wan.Reason);
        }
        Assert.Empty(_state.Incidents());

        _reader.Next = at => Sample(at, ("router-b", Wan("wan1", 20e6)));
        Assert.Equal("ok", (await _monitor.TickAsync(CancellationToken.None)).State);
    }

    [Fact]
    public async Task StaleOrMissingSeries_AreUnknownWithTheReason_NeverAnOverload()
    {
        _reader.Next = at => Sample(at,
            ("stale", Wan("wan0", 95e6) with { LastSampleAt = at.AddMinutes(-2) }),
            ("no-capacity", Wan("wan0", 95e6) with { CapacityRxBps = null }),
            ("no-traffic", Wan("wan0", 95e6) with { ActualRxBps = null, ActualTxBps = null }));
        FleetView view = null!;
        for (var s = 0; s <= 6; s++, _time.Advance(TimeSpan.FromSeconds(1)))
            view = await _monitor.TickAsync(CancellationToken.None);

        Assert.Empty(_state.Incidents());
        Assert.All(view.Routers, r => Assert.Equal("unknown", r.State));
        Assert.StartsWith("its newest sample is 120 s old", view.Of("stale")!.Wans[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("no capacity series", view.Of("no-capacity")!.Wans[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("no traffic series", view.Of("no-traffic")!.Wans[0].Reason, StringComparison.Ordinal);

        _reader.Next = at => Sample(at, ("no-capacity", Wan("wan0", 95e6) with { CapacityRxBps = null }));
        view = await _monitor.TickAsync(CancellationToken.None);
        Assert.StartsWith("no series for this WAN", view.Of("stale")!.Wans[0].Reason, StringComparison.Ordinal); // a router that vanished stays listed
    }

    private static FleetWanSample Wan(string nic, double rx, params (string Ip, double Bps)[] top) =>
        new(nic, 50e6, null, rx, 1e6, null, top.Select(t => new IpRate(t.Ip, t.Bps)).ToList(), []);

    private static FleetSample Sample(DateTimeOffset at, params (string Router, FleetWanSample Wan)[] wans) =>
        new(at, wans.GroupBy(w => w.Router).ToDictionary(g => g.Key, g => (IReadOnlyList<FleetWanSample>)g.Select(w => w.Wan with { LastSampleAt = w.Wan.LastSampleAt ?? at }).ToList()));

    private sealed class Reader : IFleetReader
    {
        public Func<DateTimeOffset, FleetSample> Next { get; set; } = at => new FleetSample(at, new Dictionary<string, IReadOnlyList<FleetWanSample>>());

        public Task<FleetSample> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(Next(now));
    }
}
