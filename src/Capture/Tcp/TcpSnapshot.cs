using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Tcp;

/// <summary>
/// What one capture's TCP analysis hands readers about once a second: cumulative counters (overall and per WAN),
/// the histograms, the flows active now and their mean advertised window, and — when asked for — the top flows.
/// </summary>
public sealed record TcpSnapshot(
    long MonotonicMicros,
    TcpCounters Counters,
    IReadOnlyList<NicTcpShare> PerNic,
    HistogramSnapshot GapBytes,
    HistogramSnapshot HandshakeRtt,
    HistogramSnapshot AckRtt,
    int ActiveFlows,
    double MeanWindow,
    long FlowsExpired,
    TopFlowLists? Top);

/// <summary>One WAN's share (by its index in the mapping).</summary>
public sealed record NicTcpShare(byte Nic, NicTcpCounters Counters);

public sealed record TopFlowLists(IReadOnlyList<TcpFlowView> ByLoss, IReadOnlyList<TcpFlowView> ByBytes, IReadOnlyList<TcpFlowView> ByWindow);

/// <summary>
/// One flow as reports show it: client first when the SYN was seen (else the lower address), its counts, each
/// side's last advertised window (scaled; null before one was seen) and the handshake RTT.
/// </summary>
public sealed record TcpFlowView(
    IpAddr Client,
    ushort ClientPort,
    IpAddr Server,
    ushort ServerPort,
    byte Nic,
    long Packets,
    long Bytes,
    int Missing,
    int Duplicate,
    int OutOfOrder,
    int WindowShrink,
    int ZeroWindow,
    uint? ClientWindow,
    uint? ServerWindow,
    double? HandshakeRttSeconds,
    bool Closed)
{
    public int LossEvents => Missing + Duplicate + OutOfOrder;
}

/// <summary>How <c>/api/tcp/flows</c> and <c>analyze --flows</c> rank flows.</summary>
public enum FlowSort
{
    /// <summary>Most loss events (missing + duplicate + out-of-order) first.</summary>
    Loss,

    /// <summary>Most bytes first.</summary>
    Bytes,

    /// <summary>Smallest current advertised window first: the receivers closing their windows.</summary>
    Window,
}
