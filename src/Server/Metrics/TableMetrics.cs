using Prometheus;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Tcp;
using RoutingFlow.Server.Capture;
using RoutingFlow.Server.Devices;

namespace RoutingFlow.Server.Metrics;

/// <summary>
/// How full each bounded tracking table is, on <c>/metrics</c> as <c>routingflow_table_fill_ratio{table,interface}</c>:
/// <c>tracked_ips</c> (a capture's (WAN, IP) pairs against <c>Capture:MaxTrackedIps</c>), <c>tcp_flows</c> (its TCP
/// flows against <c>Tcp:MaxFlows</c>) and <c>device_connections</c> (an attached device's entries against
/// <c>Connections:MaxEntries</c>), and <c>names</c> (the name cache, interface <c>all</c>, against <c>Network:MaxNames</c>). Past the cap the least recent entries are evicted (each table counts them); the
/// built-in alert rule <c>table-near-capacity</c> warns before that (<c>Alerts:TableWarningRatio</c>).
/// </summary>
public sealed class TableMetrics(IMetricFactory factory)
{
    public const string Name = "routingflow_table_fill_ratio";
    private readonly Gauge _fill = factory.CreateGauge(Name, "How full a bounded tracking table is (entries over its cap).", ["table", "interface"]);
    private readonly HashSet<string> _devices = new(StringComparer.Ordinal);

    public void Update(RoutingFlowOptions options, IReadOnlyList<CaptureSession> sessions, IReadOnlyList<AttachedDevice> devices,
        RoutingFlow.Capture.Protocols.NameCache? nameCache = null, Func<string, TcpAnalyzer?>? tcpOf = null)
    {
        if (nameCache is not null)
            _fill.WithLabels("names", "all").Set((double)nameCache.Counters.Held / nameCache.Capacity);
        foreach (var session in sessions)
        {
            if (session.Latest is { } latest)
                _fill.WithLabels("tracked_ips", session.Interface).Set((double)latest.Entries.Count / options.Capture.MaxTrackedIps);
            if (tcpOf?.Invoke(session.Interface)?.Latest is { } tcp)
                _fill.WithLabels("tcp_flows", session.Interface).Set((double)tcp.ActiveFlows / options.Tcp.MaxFlows);
        }
        lock (_devices)
        {
            var names = devices.Select(d => d.Interface).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _devices.Where(n => !names.Contains(n)).ToList())
            {
                _fill.RemoveLabelled("device_connections", gone);
                _devices.Remove(gone);
            }
            foreach (var device in devices)
            {
                if (device.Latest is not { } latest)
                    continue;
                _fill.WithLabels("device_connections", device.Interface).Set((double)latest.Counts.Entries.Count / options.Connections.MaxEntries);
                _devices.Add(device.Interface);
            }
        }
    }
}
