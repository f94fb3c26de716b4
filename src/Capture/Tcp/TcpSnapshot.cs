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
    TopFlowLists? Top,
    ConnectionSummary Connections);

/// <summary>
/// Connection attempts seen in the captured handshakes: attempts (first SYNs), successes (handshake completed),
/// failures (refused: a RST answered the SYN; timed out: no SYN/ACK within the connect timeout), those still
/// waiting, and the set-up times (SYN to the ACK of the SYN/ACK, seconds; percentiles from a uniform sample).
/// </summary>
public sealed record ConnectionSummary(long Attempts, long Successes, long Refused, long TimedOut, int Pending,
    double? SetupMean, double? SetupP50, double? SetupP95)
{
    public long Failures => Refused + TimedOut;

    /// <summary>Failures per attempt, in percent (null before any attempt).</summary>
    public double? ErrorRate => Attempts > 0 ? 100.0 * Failures / Attempts : null;
}

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
