using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Probing;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Probing;
using RoutingFlow.Server.Traffic;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Server.Tests.Monitoring;

public sealed class OverloadMonitorTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly string _data = Directory.CreateTempSubdirectory("rf-monitor-").FullName;
    private readonly TrafficState _traffic = new();
    private readonly MonitorState _state = new();
    private readonly ProbeState _probes;
    private readonly OverloadMonitor _monitor;

    public OverloadMonitorTests()
    {
        var options = new RoutingFlowOptions();
        options.Probe.Targets.Add(new ProbeTargetOptions { Server = "isp", Url = "http://isp/bytes", Method = "download" });
        var settings = SettingsBuilder.TryBuild(options, [new NicDeclaration("wan0", "eth0"), new NicDeclaration("wan1", "eth1")], () => null, [])!;
        _probes = new ProbeState(settings.Probe, new CorrectionFactorStore(_data, 1), new ProbeTraffic(), _time);
        _monitor = new OverloadMonitor(settings.Layout, settings.Options.Capture, new MonitorOptions(), _traffic, _probes, _state, new IncidentIds(), _time, NullLogger<OverloadMonitor>.Instance);
        _probes.Record("eth1", 0, new ProbeResult { EstimateBps = 20e6, Rtt = TimeSpan.FromMilliseconds(15) }, _time.GetUtcNow(), s => s.LastAttempt!.Value.AddMinutes(5));
    }

    public void Dispose()
    {
        _monitor.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    private void Traffic(double wan1Rx) => _traffic.Publish(new TrafficSnapshot(_time.GetUtcNow(),
    [
        new WanTraffic("wan0", "eth0", 90e6, 0, [new HostTraffic(IpAddr.Parse("192.168.50.11"), 90e6, 0, 0, 0)]),
        new WanTraffic("wan1", "eth1", wan1Rx, 1e6, [new HostTraffic(IpAddr.Parse("192.168.50.12"), wan1Rx - 1e6, 1e6, 0, 0) { Name = "nas.lab.test" }, new HostTraffic(IpAddr.Parse("192.168.50.13"), 1e6, 0, 0, 0)]),
    ], []));

    private MonitorView Second()
    {
        var view = _monitor.Tick();
        _time.Advance(TimeSpan.FromSeconds(1));
        return view;
    }

    [Fact]
    public void SustainedOverload_OpensOneIncidentNamingTheTopIp_OnlyOnThatWan()
    {
        Traffic(30e6);

        MonitorView view = MonitorView.Empty;
        for (var s = 0; s <= 3; s++)
            view = Second();

        var wan1 = view.Of("wan1")!;
        Assert.Equal((LoadState.Overloaded, CompareMode.Combined), (wan1.Load.State, wan1.Load.Mode));
        Assert.Equal(1.55, wan1.Load.Utilization!.Value, 9); // (30 + 1) / 20
        Assert.Equal("192.168.50.12", wan1.TopRx[0].Ip);
        var incident = Assert.Single(_state.Incidents());
        Assert.Equal(("wan1", "192.168.50.12", 29e6, "nas.lab.test"), (incident.Nic, incident.TopRx[0].Ip, incident.TopRx[0].Bps, incident.TopRx[0].Name));
        Assert.Equal(0.015, incident.RttAtStartSeconds);
        Assert.Equal(LoadState.Unknown, view.Of("wan0")!.Load.State); // no capacity: never overloaded, however busy
        Assert.Equal(1, _state.OpenedCount("wan1"));
    }

    [Fact]
    public void ProbeTraffic_IsSubtracted_OverTheRateWindow()
    {
        Traffic(30e6);
        Second();
        MonitorView view = MonitorView.Empty;
        for (var s = 0; s < 5; s++)
        {
            _probes.Traffic.Add("eth1", 1_875_000, 0); // a probe moving 15 Mbit/s
            view = Second();
        }

        var wan1 = view.Of("wan1")!;

        Assert.Equal(15e6, wan1.Reading.ActualRxBps, 15e6 * 0.01);
    }

    [Fact]
    public async Task CorrectionFactor_ChangesTheComparisonAtOnce()
    {
        Traffic(30e6);
        Assert.Equal(LoadState.Overloaded, Second().Of("wan1")!.Load.State);

        await _probes.SetCorrectionFactorAsync(2, _time.GetUtcNow());

        var wan1 = Second().Of("wan1")!;
        Assert.Equal(LoadState.Ok, wan1.Load.State);
        Assert.Equal(40e6, wan1.Reading.CapacityRxBps);
        Assert.Empty(wan1.TopRx); // the top IPs are only computed while overloaded
    }
}

/// <summary>
/// The wall clock stepped back or forward an hour in the middle of an overload: the incident opens after SustainFor
/// of monotonic time (not an hour later, not at once), and it ends after it started.
/// </summary>
public sealed class OverloadMonitorClockStepTests : IDisposable
{
    private readonly Infrastructure.SteppedClock _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly string _data = Directory.CreateTempSubdirectory("rf-monitor-step-").FullName;
    private readonly TrafficState _traffic = new();
    private readonly MonitorState _state = new();
    private readonly OverloadMonitor _monitor;

    public OverloadMonitorClockStepTests()
    {
        var options = new RoutingFlowOptions();
        options.Probe.Targets.Add(new ProbeTargetOptions { Server = "isp", Url = "http://isp/bytes", Method = "download" });
        var settings = SettingsBuilder.TryBuild(options, [new NicDeclaration("wan0", "eth0"), new NicDeclaration("wan1", "eth1")], () => null, [])!;
        var probes = new ProbeState(settings.Probe, new CorrectionFactorStore(_data, 1), new ProbeTraffic(), _time);
        _monitor = new OverloadMonitor(settings.Layout, settings.Options.Capture, new MonitorOptions(), _traffic, probes, _state, new IncidentIds(), _time, NullLogger<OverloadMonitor>.Instance);
        probes.Record("eth1", 0, new ProbeResult { EstimateBps = 20e6 }, _time.GetUtcNow(), s => s.LastAttempt!.Value.AddDays(5));
    }

    public void Dispose()
    {
        _monitor.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void AnHourStep_DuringAnOverload_NeitherStallsNorHastensTheIncident_AndItEndsAfterItStarted(int hours)
    {
        Second(30e6);
        _time.Step(TimeSpan.FromHours(hours));
        Assert.Empty(_state.Incidents().Where(i => i.IsOpen).Take(0)); // (nothing yet)
        Second(30e6);
        Assert.DoesNotContain(_state.Incidents(), i => i.IsOpen); // 1 s of overload: not yet, however far the clock moved
        Second(30e6);
        Second(30e6);
        var incident = Assert.Single(_state.Incidents()); // after SustainFor (3 s) of monotonic time
        Assert.True(incident.IsOpen);
        for (var s = 0; s < 12; s++)
            Second(1e6);
        var closed = Assert.Single(_state.Incidents());
        Assert.False(closed.IsOpen);
        Assert.True(closed.EndedAt >= closed.StartedAt, $"{closed.StartedAt:O} .. {closed.EndedAt:O}");
        Assert.True(closed.EndedAt - closed.StartedAt < TimeSpan.FromMinutes(1));
    }

    private void Second(double rxBps)
    {
        _traffic.Publish(new TrafficSnapshot(_time.GetUtcNow(),
            [new WanTraffic("wan1", "eth1", rxBps, 0, [new HostTraffic(IpAddr.Parse("192.168.50.12"), rxBps, 0, 0, 0)])], []));
        _state.Publish(_monitor.Tick());
        _time.Advance(TimeSpan.FromSeconds(1));
    }
}
