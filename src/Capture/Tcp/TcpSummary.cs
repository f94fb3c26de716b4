namespace RoutingFlow.Capture.Tcp;

/// <summary>
/// The TCP analysis of the server's captures as <c>GET /api/tcp/summary</c> and <c>/api/tcp/flows</c> serve it and the
/// dashboard shows it (property names are the API's contract): one entry per capture, then the sums over them.
/// </summary>
public sealed record TcpSummary(IReadOnlyList<TcpInterfaceSummary> Interfaces, TcpTotals Totals);

/// <summary>Cumulative counts since the capture started, rates per second over the last publication interval.</summary>
public sealed record TcpInterfaceSummary(
    string Interface,
    string Role,
    string? Nic,
    long TotalPackets,
    long TcpPackets,
    long GlobalTcpPackets,
    long Missing,
    long Duplicate,
    long OutOfOrder,
    long WindowShrink,
    long ZeroWindow,
    long KeepAlives,
    long Malformed,
    long FlowEvictions,
    long GapBytes,
    int ActiveConnections,
    double CurrentWindowSize,
    TcpRates Rates,
    TcpRttSummary Rtt,
    IReadOnlyList<TcpNicSummary> Nics);

/// <summary>RTT at the capture point, seconds: how many samples, their mean, and the bucket bound holding the median.</summary>
public sealed record TcpRttSummary(long HandshakeSamples, double? HandshakeMean, double? HandshakeMedianBelow, long AckSamples, double? AckMean, double? AckMedianBelow);

/// <summary>One WAN's loss: missing and retransmitted (duplicate + out-of-order) segments per data segment.</summary>
public sealed record TcpNicSummary(string? Nic, long Packets, long DataSegments, long Missing, long Duplicate, long OutOfOrder, double LossRatio, double RetransmissionRatio);

public sealed record TcpTotals(long TcpPackets, long Missing, long Duplicate, long OutOfOrder, long WindowShrink, long ZeroWindow, int ActiveConnections);

/// <summary><c>GET /api/tcp/flows</c>.</summary>
public sealed record TcpFlowList(string Sort, IReadOnlyList<TcpFlowRow> Flows);

public sealed record TcpFlowRow(
    string Interface,
    string? Nic,
    string Client,
    int ClientPort,
    string Server,
    int ServerPort,
    string Protocol,
    long Packets,
    long Bytes,
    int Missing,
    int Duplicate,
    int OutOfOrder,
    int WindowShrink,
    int ZeroWindow,
    long? ClientWindow,
    long? ServerWindow,
    double? HandshakeRttSeconds,
    bool Closed);

/// <summary>Per-second rates of each event type (and of TCP packets) between two publications.</summary>
public sealed record TcpRates(double Packets, double Missing, double Duplicate, double OutOfOrder, double WindowShrink, double ZeroWindow)
{
    public static TcpRates Zero { get; } = new(0, 0, 0, 0, 0, 0);

    public static TcpRates Between(TcpSnapshot before, TcpSnapshot after) => Between(before.Counters, after.Counters,
        (after.MonotonicMicros - before.MonotonicMicros) / 1e6);

    public static TcpRates Between(in TcpCounters before, in TcpCounters after, double seconds)
    {
        if (seconds <= 0)
            return Zero;
        return new TcpRates((after.TcpPackets - before.TcpPackets) / seconds, (after.Missing - before.Missing) / seconds,
            (after.Duplicate - before.Duplicate) / seconds, (after.OutOfOrder - before.OutOfOrder) / seconds,
            (after.WindowShrink - before.WindowShrink) / seconds, (after.ZeroWindow - before.ZeroWindow) / seconds);
    }
}
