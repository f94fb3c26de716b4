using Prometheus;
using RoutingFlow.Server.Traffic;

namespace RoutingFlow.Server.Metrics;

/// <summary>
/// Accounting metrics, a compatibility contract: <c>network_ip_rx_bps{nic,ip}</c>, <c>network_ip_tx_bps{nic,ip}</c>,
/// <c>network_ip_rx_bps_total{nic}</c>, <c>network_ip_tx_bps_total{nic}</c> (gauges, bits/s). Per WAN the busiest
/// <c>MaxIpSeriesPerNic</c> IPs get their own series, the rest are summed under <c>ip="other"</c>; an idle IP's
/// series is removed.
/// </summary>
public sealed class TrafficMetrics
{
    public const string Other = "other";
    private readonly Gauge _ipRx;
    private readonly Gauge _ipTx;
    private readonly Gauge _nicRx;
    private readonly Gauge _nicTx;
    private readonly int _maxSeries;
    private HashSet<(string Nic, string Ip)> _exported = [];
    private TrafficSnapshot? _last;

    public TrafficMetrics(IMetricFactory factory, int maxSeriesPerNic)
    {
        _maxSeries = maxSeriesPerNic;
        _ipRx = factory.CreateGauge("network_ip_rx_bps", "Receive rate of a local IP on a WAN, bits per second, averaged over the rate window.", ["nic", "ip"]);
        _ipTx = factory.CreateGauge("network_ip_tx_bps", "Transmit rate of a local IP on a WAN, bits per second, averaged over the rate window.", ["nic", "ip"]);
        _nicRx = factory.CreateGauge("network_ip_rx_bps_total", "Receive rate of all local IPs on a WAN, bits per second.", ["nic"]);
        _nicTx = factory.CreateGauge("network_ip_tx_bps_total", "Transmit rate of all local IPs on a WAN, bits per second.", ["nic"]);
    }

    /// <summary>Brings the series to <paramref name="view"/>; the same publication again changes nothing (its top IPs are chosen once).</summary>
    public void Update(TrafficSnapshot snapshot)
    {
        if (ReferenceEquals(snapshot, _last))
            return;
        _last = snapshot;
        var exported = new HashSet<(string, string)>();
        foreach (var wan in snapshot.Wans)
        {
            _nicRx.WithLabels(wan.Nic).Set(wan.RxBps);
            _nicTx.WithLabels(wan.Nic).Set(wan.TxBps);
            var (shown, restRx, restTx, rest) = (0, 0.0, 0.0, 0);
            foreach (var host in wan.Hosts) // busiest first: the first MaxIpSeriesPerNic active hosts get a series
            {
                if (host.TotalBps <= 0)
                    continue;
                if (shown++ < _maxSeries)
                {
                    Export(exported, wan.Nic, host.Ip.ToString(), host.RxBps, host.TxBps);
                    continue;
                }
                (restRx, restTx, rest) = (restRx + host.RxBps, restTx + host.TxBps, rest + 1);
            }
            if (rest > 0)
                Export(exported, wan.Nic, Other, restRx, restTx);
        }
        foreach (var (nic, ip) in _exported.Where(s => !exported.Contains(s)))
        {
            _ipRx.RemoveLabelled(nic, ip);
            _ipTx.RemoveLabelled(nic, ip);
        }
        _exported = exported;
    }

    private void Export(HashSet<(string, string)> exported, string nic, string ip, double rx, double tx)
    {
        _ipRx.WithLabels(nic, ip).Set(rx);
        _ipTx.WithLabels(nic, ip).Set(tx);
        exported.Add((nic, ip));
    }
}
