using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using RoutingFlow.Server.Fleet;
using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Benchmarks;

/// <summary>
/// One fleet check at 1,000 routers × 4 WANs (goal: ≤ 200 ms on one core, ≤ 100 MB managed): Prometheus's seven
/// answers parsed as they come off the wire (synthetic, in the query API's exact JSON), grouped into the fleet sample
/// and run through the monitor's rule and incident trackers. <see cref="PerIpSeries"/>: the per-IP series per WAN in
/// each top-IP answer: 5 is what the default <c>topk</c> queries return, 200 what a router exports (<c>Metrics:MaxIpSeriesPerNic</c>),
/// as when <c>Fleet:Queries:TopRx</c> is overridden to the bare metric.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class FleetBenchmarks
{
    private const int Routers = 1000;
    private const int Wans = 4;
    private byte[][] _bodies = [];
    private FleetMonitor _monitor = null!;
    private Reader _reader = null!;

    [Params(5, 200)]
    public int PerIpSeries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var now = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        _bodies =
        [
            Vector(now, (r, w) => [("routingflow_wan_capacity_bps", "", 100e6)]),
            Vector(now, (r, w) => [("routingflow_wan_capacity_bps", "", 20e6)]),
            Vector(now, (r, w) => [("network_ip_rx_bps_total", "", r % 100 == 0 && w == 1 ? 150e6 : 40e6)]),
            Vector(now, (r, w) => [("network_ip_tx_bps_total", "", 5e6)]),
            Vector(now, (r, w) => Enumerable.Range(0, PerIpSeries).Select(i => ("network_ip_rx_bps", Ip(r, i), 40e6 / (i + 1))).ToArray()),
            Vector(now, (r, w) => Enumerable.Range(0, PerIpSeries).Select(i => ("network_ip_tx_bps", Ip(r, i), 5e6 / (i + 1))).ToArray()),
            Vector(now, (r, w) => [("", "", now - 1)]),
        ];
        var options = new FleetOptions { Prometheus = new FleetPrometheusOptions { Url = "http://prometheus:9090" } };
        _reader = new Reader(_bodies);
        _monitor = new FleetMonitor(options, new MonitorOptions(), _reader, new FleetState(options), new IncidentIds(), TimeProvider.System, NullLogger<FleetMonitor>.Instance);
        Console.WriteLine($"// answer sizes: {string.Join(", ", _bodies.Select(b => (b.Length / 1024).ToString("N0", CultureInfo.InvariantCulture) + " KiB"))}");
    }

    [GlobalCleanup]
    public void Cleanup() => _monitor.Dispose();

    /// <summary>Parse the seven answers, group them, check every router's WANs.</summary>
    [Benchmark]
    public async Task<int> Check() => (await _monitor.TickAsync(CancellationToken.None)).Routers.Count;

    private static string Ip(int router, int i) => $"10.{router / 250}.{router % 250}.{i + 1}";

    private static byte[] Vector(long now, Func<int, int, (string Name, string Ip, double Value)[]> series)
    {
        var json = new StringBuilder("""{"status":"success","data":{"resultType":"vector","result":[""");
        var first = true;
        for (var r = 0; r < Routers; r++)
        {
            for (var w = 0; w < Wans; w++)
            {
                foreach (var (name, ip, value) in series(r, w))
                {
                    json.Append(first ? "" : ",");
                    first = false;
                    json.Append(CultureInfo.InvariantCulture, $$"""{"metric":{{{(name.Length > 0 ? $"\"__name__\":\"{name}\"," : "")}}"instance":"router-{{r}}:8080","job":"routingflow","nic":"wan{{w}}"{{(ip.Length > 0 ? $",\"ip\":\"{ip}\"" : "")}}},"value":[{{now}}.5,"{{value.ToString("R", CultureInfo.InvariantCulture)}}"]}""");
                }
            }
        }
        return Encoding.UTF8.GetBytes(json.Append("]}}").ToString());
    }

    /// <summary>The seven answers parsed as the Prometheus reader parses them, from their bytes.</summary>
    private sealed class Reader(byte[][] bodies) : IFleetReader
    {
        private static readonly int Top = new MonitorOptions().TopIps;

        public Task<FleetSample> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
        {
            var a = bodies.Select((b, i) => PrometheusClient.ParseKeyed(b, 200, "q", "instance", i is 4 or 5 ? Top : 0)).ToArray();
            return Task.FromResult(FleetSample.Build(now, new FleetAnswers(a[0], a[1], a[2], a[3], a[4], a[5], a[6])));
        }
    }
}
