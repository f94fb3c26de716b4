using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Server.Tcp;

/// <summary>The analyzers' publications as the API's and the dashboard's summaries.</summary>
public static class TcpViews
{
    public static TcpSummary Summary(TcpHealth health, IReadOnlyList<InterfaceTcp> captures)
    {
        var interfaces = captures.Where(c => c.Latest is not null).Select(c => Interface(health, c)).ToList();
        var totals = new TcpTotals(interfaces.Sum(i => i.TcpPackets), interfaces.Sum(i => i.Missing), interfaces.Sum(i => i.Duplicate),
            interfaces.Sum(i => i.OutOfOrder), interfaces.Sum(i => i.WindowShrink), interfaces.Sum(i => i.ZeroWindow), interfaces.Sum(i => i.ActiveConnections));
        return new TcpSummary(interfaces, totals);
    }

    public static TcpFlowRow Flow(TcpHealth health, string itf, TcpFlowView f) => new(itf, health.NicName(f.Nic), f.Client.ToString(),
        f.ClientPort, f.Server.ToString(), f.ServerPort, "tcp", f.Packets, f.Bytes, f.Missing, f.Duplicate, f.OutOfOrder, f.WindowShrink,
        f.ZeroWindow, f.ClientWindow, f.ServerWindow, f.HandshakeRttSeconds, f.Closed);

    public static double? Mean(HistogramSnapshot h) => h.Count == 0 ? null : h.Sum / h.Count;

    private static TcpInterfaceSummary Interface(TcpHealth health, InterfaceTcp capture)
    {
        var s = capture.Latest!;
        var c = s.Counters;
        var rtt = new TcpRttSummary(s.HandshakeRtt.Count, Mean(s.HandshakeRtt), MedianBelow(s.HandshakeRtt), s.AckRtt.Count, Mean(s.AckRtt), MedianBelow(s.AckRtt));
        var nics = s.PerNic.Select(n => Nic(health.NicName(n.Nic), n.Counters)).ToList();
        return new TcpInterfaceSummary(capture.Interface, capture.Role, capture.Nic, c.TotalPackets, c.TcpPackets, c.GlobalTcpPackets, c.Missing,
            c.Duplicate, c.OutOfOrder, c.WindowShrink, c.ZeroWindow, c.KeepAlives, c.Malformed, c.FlowEvictions, c.GapBytes, s.ActiveFlows,
            s.MeanWindow, capture.Rates, rtt, nics);
    }

    private static TcpNicSummary Nic(string? name, NicTcpCounters n) => new(name, n.Packets, n.DataSegments, n.Missing, n.Duplicate, n.OutOfOrder,
        n.DataSegments == 0 ? 0 : (double)n.Missing / n.DataSegments, n.DataSegments == 0 ? 0 : (double)n.Retransmitted / n.DataSegments);

    /// <summary>The upper bound of the bucket holding the median sample (null when none, or in the unbounded bucket).</summary>
    private static double? MedianBelow(HistogramSnapshot h)
    {
        var (half, seen) = ((h.Count + 1) / 2, 0L);
        if (h.Count == 0)
            return null;
        for (var i = 0; i < h.Counts.Length; i++)
        {
            seen += h.Counts[i];
            if (seen >= half)
                return i < h.Bounds.Length ? h.Bounds[i] : null;
        }
        return null;
    }
}
