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

/// <summary>The detection step allocates nothing in steady state (no overload), with 10,000 IPs in the traffic view (BenchmarkDotNet measures its time).</summary>
public sealed class DetectionAllocationTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("rf-alloc-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    public static (OverloadMonitor Monitor, TrafficState Traffic) Build(string data, TimeProvider time, int ips)
    {
        var options = new RoutingFlowOptions();
        options.Probe.Targets.Add(new ProbeTargetOptions { Server = "isp", Url = "http://isp/bytes", Method = "download" });
        var settings = SettingsBuilder.TryBuild(options, [new NicDeclaration("wan0", "eth0"), new NicDeclaration("wan1", "eth1")], () => null, [])!;
        var probes = new ProbeState(settings.Probe, new CorrectionFactorStore(data, 1), new ProbeTraffic(), time);
        foreach (var itf in new[] { "eth0", "eth1" })
            probes.Record(itf, 0, new ProbeResult { EstimateBps = 100e6, Rtt = TimeSpan.FromMilliseconds(10) }, time.GetUtcNow(), s => s.LastAttempt!.Value.AddMinutes(5));
        var traffic = new TrafficState();
        traffic.Publish(new TrafficSnapshot(time.GetUtcNow(), settings.Nics.Select(n => new WanTraffic(n.Name, n.Interface, 50e6, 5e6,
            Enumerable.Range(0, ips / 2).Select(i => new HostTraffic(IpAddr.Parse($"10.{i / 65536}.{i / 256 % 256}.{i % 256}"), 5e3, 500, 1000, 100)).ToList())).ToList(), []));
        return (new OverloadMonitor(settings.Layout, settings.Options.Capture, new MonitorOptions(), traffic, probes, new MonitorState(), new IncidentIds(), time, NullLogger<OverloadMonitor>.Instance), traffic);
    }

    [Fact]
    public void Detect_SteadyState_AllocatesNothing()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var (monitor, _) = Build(_data, time, 10_000);
        for (var i = 0; i < 100; i++)
            Detect(monitor, time);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
            Detect(monitor, time);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(LoadState.Ok, monitor.Detect(1, time.GetUtcNow()).Load.State);
        monitor.Dispose();
    }

    private static void Detect(OverloadMonitor monitor, FakeTimeProvider time)
    {
        for (var wan = 0; wan < monitor.WanCount; wan++)
            monitor.Detect(wan, time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(1));
    }
}
