using System.Text;
using Prometheus;
using RoutingFlow.Server.Metrics;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Server.Traffic;

namespace RoutingFlow.Server.Tests.Metrics;

public class TrafficMetricsTests
{
    private static async Task<string> ExportAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static HostTraffic Ip(int i, double bps) => new(IpAddr.Parse($"10.0.0.{i}"), bps, bps / 10, 0, 0);

    [Fact]
    public async Task Update_MoreIpsThanTheCap_SumsTheRestUnderOther()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new TrafficMetrics(Prometheus.Metrics.WithCustomRegistry(registry), maxSeriesPerNic: 2);
        var ips = new[] { Ip(1, 500), Ip(2, 400), Ip(3, 300), Ip(4, 200) };

        metrics.Update(new TrafficSnapshot(DateTimeOffset.UnixEpoch, [new WanTraffic("wan0", "eth0", 1400, 140, ips)], []));
        var text = await ExportAsync(registry);

        Assert.Contains("network_ip_rx_bps{nic=\"wan0\",ip=\"10.0.0.1\"} 500", text, StringComparison.Ordinal);
        Assert.Contains("network_ip_rx_bps{nic=\"wan0\",ip=\"10.0.0.2\"} 400", text, StringComparison.Ordinal);
        Assert.Contains("network_ip_rx_bps{nic=\"wan0\",ip=\"other\"} 500", text, StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.3", text, StringComparison.Ordinal);
        Assert.Contains("network_ip_rx_bps_total{nic=\"wan0\"} 1400", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_IpGoesIdle_ItsSeriesIsRemoved()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new TrafficMetrics(Prometheus.Metrics.WithCustomRegistry(registry), maxSeriesPerNic: 10);
        metrics.Update(new TrafficSnapshot(DateTimeOffset.UnixEpoch, [new WanTraffic("wan0", "eth0", 500, 50, [Ip(1, 500)])], []));

        metrics.Update(new TrafficSnapshot(DateTimeOffset.UnixEpoch, [new WanTraffic("wan0", "eth0", 0, 0, [Ip(1, 0)])], []));
        var text = await ExportAsync(registry);

        Assert.DoesNotContain("10.0.0.1", text, StringComparison.Ordinal);
        Assert.Contains("network_ip_rx_bps_total{nic=\"wan0\"} 0", text, StringComparison.Ordinal);
    }
}
