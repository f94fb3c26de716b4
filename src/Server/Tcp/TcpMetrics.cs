using Prometheus;
using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Server.Tcp;

/// <summary>
/// The TCP analysis on <c>/metrics</c> under the original <c>tcp_monitor_*</c> names (a compatibility contract, so the
/// counters keep their names without <c>_total</c>), refreshed before each scrape. Every series has an
/// <c>interface</c> label and a <c>nic</c> label: the WAN of a <c>wan</c> capture; on a <c>lan</c> capture the packet,
/// loss and retransmission counters are split by the WAN each flow belongs to, the rest carry an empty <c>nic</c>.
/// No per-flow labels: at most interfaces × WANs series per name.
/// </summary>
public sealed class TcpMetrics
{
    private static readonly string[] Labels = ["interface", "nic"];
    private readonly Counter _total;
    private readonly Counter _tcp;
    private readonly Counter _global;
    private readonly Counter _missing;
    private readonly Counter _duplicate;
    private readonly Counter _outOfOrder;
    private readonly Counter _shrink;
    private readonly Counter _zeroWindow;
    private readonly Counter _evictions;
    private readonly Gauge _active;
    private readonly Gauge _window;
    private readonly HistogramReplay _gap;
    private readonly HistogramReplay _handshake;
    private readonly HistogramReplay _ack;

    public TcpMetrics(IMetricFactory factory)
    {
        _total = factory.CreateCounter("tcp_monitor_total_packets", "Frames the TCP analysis saw.", Labels);
        _tcp = factory.CreateCounter("tcp_monitor_tcp_packets", "TCP packets.", Labels);
        _global = factory.CreateCounter("tcp_monitor_global_tcp_packets", "TCP packets between two globally reachable unicast addresses.", Labels);
        _missing = factory.CreateCounter("tcp_monitor_packet_loss_missing", "Segments starting beyond the next expected sequence number (a gap: Wireshark's lost_segment).", Labels);
        _duplicate = factory.CreateCounter("tcp_monitor_packet_loss_duplicate", "Segments whose bytes were all seen before (retransmissions of delivered data, duplicated packets).", Labels);
        _outOfOrder = factory.CreateCounter("tcp_monitor_packet_loss_out_of_order", "Segments below the next expected sequence number that fill part of a gap.", Labels);
        _shrink = factory.CreateCounter("tcp_monitor_window_shrink", "Segments advertising a smaller scaled window than the sender's previous one.", Labels);
        _zeroWindow = factory.CreateCounter("tcp_monitor_zero_window", "Segments advertising a zero window (not SYN, FIN or RST).", Labels);
        _evictions = factory.CreateCounter("tcp_monitor_flow_evictions_total", "Flows evicted at the RoutingFlow:Tcp:MaxFlows cap (least recently active first).", Labels);
        _active = factory.CreateGauge("tcp_monitor_active_connections", "Flows that saw a packet within their idle timeout.", Labels);
        _window = factory.CreateGauge("tcp_monitor_current_window_size", "Mean scaled advertised window over the active flows' senders, bytes.", Labels);
        _gap = new(factory.CreateHistogram("tcp_monitor_packet_loss_gap", "Size of each sequence gap, bytes.",
            new HistogramConfiguration { LabelNames = Labels, Buckets = EventHistogram.GapBytesBounds }));
        _handshake = new(factory.CreateHistogram("tcp_monitor_handshake_rtt_seconds", "SYN to the ACK of the SYN/ACK, at the capture point.",
            new HistogramConfiguration { LabelNames = Labels, Buckets = EventHistogram.RttSecondsBounds }));
        _ack = new(factory.CreateHistogram("tcp_monitor_ack_rtt_seconds", "Data segment to the ACK that covers it, at the capture point (Karn: retransmitted data is not timed).",
            new HistogramConfiguration { LabelNames = Labels, Buckets = EventHistogram.RttSecondsBounds }));
    }

    public void Update(TcpHealth health)
    {
        foreach (var capture in health.Current())
        {
            if (capture.Latest is not { } snapshot)
                continue;
            string[] labels = [capture.Interface, capture.Nic ?? ""];
            var c = snapshot.Counters;
            _total.WithLabels(labels).IncTo(c.TotalPackets);
            _global.WithLabels(labels).IncTo(c.GlobalTcpPackets);
            _shrink.WithLabels(labels).IncTo(c.WindowShrink);
            _zeroWindow.WithLabels(labels).IncTo(c.ZeroWindow);
            _evictions.WithLabels(labels).IncTo(c.FlowEvictions);
            _active.WithLabels(labels).Set(snapshot.ActiveFlows);
            _window.WithLabels(labels).Set(snapshot.MeanWindow);
            _gap.Update(labels, snapshot.GapBytes);
            _handshake.Update(labels, snapshot.HandshakeRtt);
            _ack.Update(labels, snapshot.AckRtt);
            UpdatePerNic(health, capture, snapshot);
        }
    }

    /// <summary>
    /// The counters split by WAN. TCP packets outside any flow (malformed, out of scope) go to the capture's own
    /// WAN (empty on a lan capture), so that the series still add up to every TCP packet.
    /// </summary>
    private void UpdatePerNic(TcpHealth health, InterfaceTcp capture, TcpSnapshot snapshot)
    {
        var packets = new Dictionary<string, long>(StringComparer.Ordinal) { [capture.Nic ?? ""] = 0 };
        foreach (var share in snapshot.PerNic)
        {
            var nic = health.NicName(share.Nic) ?? "";
            packets[nic] = packets.GetValueOrDefault(nic) + share.Counters.Packets;
            string[] labels = [capture.Interface, nic];
            _missing.WithLabels(labels).IncTo(share.Counters.Missing);
            _duplicate.WithLabels(labels).IncTo(share.Counters.Duplicate);
            _outOfOrder.WithLabels(labels).IncTo(share.Counters.OutOfOrder);
        }
        packets[capture.Nic ?? ""] += snapshot.Counters.TcpPackets - packets.Values.Sum();
        foreach (var (nic, count) in packets)
            _tcp.WithLabels(capture.Interface, nic).IncTo(count);
    }

    /// <summary>
    /// Feeds a prometheus-net histogram from the analyzer's cumulative buckets: each bucket's new observations are
    /// replayed as one weighted observation at their mean, so the buckets and the sum stay exact.
    /// </summary>
    private sealed class HistogramReplay(Histogram histogram)
    {
        private readonly Dictionary<string, HistogramSnapshot> _seen = [];

        public void Update(string[] labels, HistogramSnapshot current)
        {
            var key = string.Join('\0', labels);
            HistogramSnapshot? before;
            lock (_seen)
            {
                _seen.TryGetValue(key, out before);
                _seen[key] = current;
            }
            var child = histogram.WithLabels(labels);
            for (var i = 0; i < current.Counts.Length; i++)
            {
                var count = current.Counts[i] - (before?.Counts[i] ?? 0);
                if (count > 0)
                    child.Observe((current.Sums[i] - (before?.Sums[i] ?? 0)) / count, count);
            }
        }
    }
}
