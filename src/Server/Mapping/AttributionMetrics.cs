using Prometheus;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Server.Capture;

namespace RoutingFlow.Server.Mapping;

/// <summary>
/// <c>routingflow_attribution_packets_total{nic,source}</c>: packets counted on each WAN by what attributed them
/// (<c>nat</c>, <c>mark</c>, <c>route</c>, <c>map</c>, <c>unattributed</c>); and the conntrack table's
/// <c>routingflow_conntrack_entries</c>, <c>_resyncs_total</c>, <c>_evictions_total</c> and <c>_up</c> (1 while running).
/// </summary>
public sealed class AttributionMetrics(IMetricFactory factory)
{
    private readonly Counter _packets = factory.CreateCounter("routingflow_attribution_packets_total",
        "Packets counted on a WAN, by what attributed them (nat, mark, route, map, unattributed).", ["nic", "source"]);
    private readonly Gauge _entries = factory.CreateGauge("routingflow_conntrack_entries", "Connections in RoutingFlow's copy of the conntrack table.");
    private readonly Counter _resyncs = factory.CreateCounter("routingflow_conntrack_resyncs_total", "Full re-reads of the conntrack table after lost events (ENOBUFS).");
    private readonly Counter _evictions = factory.CreateCounter("routingflow_conntrack_evictions_total", "Connections dropped because the table was full (Mapping:Conntrack:MaxEntries).");
    private readonly Gauge _up = factory.CreateGauge("routingflow_conntrack_up", "1 while the conntrack table is read, 0 otherwise (off, unavailable, failed).");

    public void Update(ConntrackState state, IReadOnlyList<CaptureSession> sessions, NicMap map)
    {
        foreach (var share in AttributionShare.Of(sessions, map, state.Latest))
        {
            foreach (var (source, packets) in share.BySource)
                _packets.WithLabels(share.Nic, source).IncTo(packets);
        }
        _entries.Set(state.Table?.Count ?? 0);
        _resyncs.IncTo(state.Status.Resyncs);
        _evictions.IncTo(state.Table?.Evictions ?? 0);
        _up.Set(state.Status.State == "running" ? 1 : 0);
    }
}
