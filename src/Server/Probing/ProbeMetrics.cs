using Prometheus;
using RoutingFlow.Capture.Probing;

namespace RoutingFlow.Server.Probing;

/// <summary>
/// The probe metrics, refreshed just before each scrape. The <c>tcp_traffic_scan_*</c> names and labels are the
/// original tool's (a compatibility contract): per-target rx estimates in Mbit/s and their per-interface mean in
/// bits/s, both after correction. An estimate that is unknown has no series (never 0).
/// </summary>
public sealed class ProbeMetrics
{
    private readonly Gauge _targetMbps;
    private readonly Gauge _averageBps;
    private readonly Gauge _capacity;
    private readonly Gauge _rtt;
    private readonly Counter _failures;
    private readonly Gauge _correction;
    private readonly Counter _bytes;

    public ProbeMetrics(IMetricFactory factory)
    {
        _targetMbps = factory.CreateGauge("tcp_traffic_scan_tcp_bandwidth_mbps", "TCP bandwidth estimation in Mbps (rx: window and download targets), after the correction factor.", ["interface", "server_ip"]);
        _averageBps = factory.CreateGauge("tcp_traffic_scan_tcp_bandwidth_avg_bps", "TCP bandwidth average per interface in bps (its rx capacity), after the correction factor.", ["interface"]);
        _capacity = factory.CreateGauge("routingflow_wan_capacity_bps", "Estimated capacity of a WAN per direction (rx: download and window probes, tx: upload probes), bits per second, after the correction factor.", ["nic", "direction"]);
        _rtt = factory.CreateGauge("tcp_traffic_scan_rtt_seconds", "Smoothed RTT of the latest probe of a target, seconds.", ["interface", "server_ip"]);
        _failures = factory.CreateCounter("tcp_traffic_scan_probe_failures_total", "Failed probes by reason (interface, resolve, refused, unreachable, timeout, closed, http, no_data, error).", ["interface", "server_ip", "reason"]);
        _correction = factory.CreateGauge("tcp_traffic_scan_correction_factor", "Factor every reported estimate is multiplied by (/tcpflow?value=).");
        _bytes = factory.CreateCounter("routingflow_probe_bytes_total", "Bytes on the wire (headers included) of the probes' own traffic per interface and direction.", ["interface", "direction"]);
    }

    public void Update(ProbeState state)
    {
        _correction.Set(state.Factor);
        foreach (var itf in state.Settings.Interfaces)
        {
            var targets = state.TargetsOf(itf.Interface);
            foreach (var server in targets.Select(t => t.Target.Server).Distinct())
                UpdateServer(state, itf.Interface, targets.Where(t => t.Target.Server == server).ToList());
            SetOrRemove(_averageBps, state.Capacity(itf.Interface, ProbeDirection.Rx), itf.Interface);
            if (itf.Nic is { } nic)
            {
                SetOrRemove(_capacity, state.Capacity(itf.Interface, ProbeDirection.Rx), nic, "rx");
                SetOrRemove(_capacity, state.Capacity(itf.Interface, ProbeDirection.Tx), nic, "tx");
            }
            var (rx, tx) = state.Traffic.Of(itf.Interface);
            _bytes.WithLabels(itf.Interface, "rx").IncTo(rx);
            _bytes.WithLabels(itf.Interface, "tx").IncTo(tx);
        }
        foreach (var ((itf, server, reason), count) in state.Failures())
            _failures.WithLabels(itf, server, reason).IncTo(count);
    }

    private void UpdateServer(ProbeState state, string itf, List<TargetStatus> targets)
    {
        var server = targets[0].Target.Server;
        var rx = targets.Where(t => t.Target.Direction == ProbeDirection.Rx && t.RawEstimateBps is not null).ToList();
        SetOrRemove(_targetMbps, rx.Count > 0 ? state.Corrected(rx.Average(t => t.RawEstimateBps!.Value)) / 1e6 : null, itf, server);
        var latest = targets.Where(t => t.Last?.Rtt is not null).MaxBy(t => t.LastAttempt);
        SetOrRemove(_rtt, latest?.Last!.Rtt!.Value.TotalSeconds, itf, server);
    }

    private static void SetOrRemove(Gauge gauge, double? value, params string[] labels)
    {
        if (value is { } v)
            gauge.WithLabels(labels).Set(v);
        else
            gauge.RemoveLabelled(labels);
    }
}
