using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Probing;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Probing;
using RoutingFlow.Server.Traffic;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Benchmarks;

/// <summary>
/// The overload monitor's tick with 10,000 tracked IPs over two WANs: the detection step of both WANs (steady
/// state, goal 0 B), the whole tick with its published view, and the top-IP lookup that runs only while a WAN is
/// overloaded.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class MonitorBenchmarks
{
    private OverloadMonitor _monitor = null!;
    private string _data = "";

    [GlobalSetup]
    public void Setup()
    {
        _data = Directory.CreateTempSubdirectory("rf-bench-").FullName;
        var options = new RoutingFlowOptions();
        options.Probe.Targets.Add(new ProbeTargetOptions { Server = "isp", Url = "http://isp/bytes", Method = "download" });
        var settings = SettingsBuilder.TryBuild(options, [new NicDeclaration("wan0", "eth0"), new NicDeclaration("wan1", "eth1")], () => null, [])!;
        var probes = new ProbeState(settings.Probe, new CorrectionFactorStore(_data, 1), new ProbeTraffic(), TimeProvider.System);
        foreach (var itf in new[] { "eth0", "eth1" })
            probes.Record(itf, 0, new ProbeResult { EstimateBps = 100e6 }, TimeProvider.System.GetUtcNow(), s => s.LastAttempt!.Value.AddMinutes(5));
        var traffic = new TrafficState();
        var random = new Random(3);
        traffic.Publish(new TrafficSnapshot(TimeProvider.System.GetUtcNow(), settings.Nics.Select(n => new WanTraffic(n.Name, n.Interface, 50e6, 5e6,
            Enumerable.Range(0, 5_000).Select(i => new HostTraffic(IpAddr.Parse($"10.{i / 65536}.{i / 256 % 256}.{i % 256}"), random.NextDouble() * 1e6, random.NextDouble() * 1e5, 0, 0)).ToList())).ToList(), []));
        _monitor = new OverloadMonitor(settings.Layout, settings.Options.Capture, new MonitorOptions(), traffic, probes, new MonitorState(), new IncidentIds(), TimeProvider.System, NullLogger<OverloadMonitor>.Instance);
        _monitor.Tick(); // takes the traffic view in
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _monitor.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [Benchmark(Description = "detect, 2 WANs (steady state)")]
    public LoadState Detect()
    {
        var now = TimeProvider.System.GetUtcNow();
        var state = LoadState.Unknown;
        for (var wan = 0; wan < _monitor.WanCount; wan++)
            state = _monitor.Detect(wan, now).Load.State;
        return state;
    }

    [Benchmark(Description = "tick, 2 WANs, view published")]
    public MonitorView Tick() => _monitor.Tick();

    [Benchmark(Description = "top 5 rx and tx of 5,000 IPs (overloaded only)")]
    public int TopIps() => _monitor.Top("wan1", 5).Rx.Count;
}
