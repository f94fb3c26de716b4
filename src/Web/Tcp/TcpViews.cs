namespace RoutingFlow.Web.Tcp;

/// <summary><c>GET /api/tcp/summary</c>: one entry per capture, then the sums over them.</summary>
public sealed record TcpSummaryView(IReadOnlyList<TcpInterfaceView> Interfaces, TcpTotalsView Totals);

/// <summary>Cumulative counts since the capture started, rates per second over the last publication interval.</summary>
public sealed record TcpInterfaceView(
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
    TcpRatesView Rates,
    TcpRttView Rtt,
    IReadOnlyList<TcpNicView> Nics);

public sealed record TcpRatesView(double Packets, double Missing, double Duplicate, double OutOfOrder, double WindowShrink, double ZeroWindow);

/// <summary>RTT at the capture point, seconds: how many samples, their mean, and the bucket bound holding the median.</summary>
public sealed record TcpRttView(long HandshakeSamples, double? HandshakeMean, double? HandshakeMedianBelow, long AckSamples, double? AckMean, double? AckMedianBelow);

/// <summary>One WAN's loss: missing and retransmitted (duplicate + out-of-order) segments per data segment.</summary>
public sealed record TcpNicView(string? Nic, long Packets, long DataSegments, long Missing, long Duplicate, long OutOfOrder, double LossRatio, double RetransmissionRatio);

public sealed record TcpTotalsView(long TcpPackets, long Missing, long Duplicate, long OutOfOrder, long WindowShrink, long ZeroWindow, int ActiveConnections);

/// <summary><c>GET /api/tcp/flows</c>.</summary>
public sealed record TcpFlowsView(string Sort, IReadOnlyList<TcpFlowRow> Flows);

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

/// <summary>One second of one capture's TCP health, for the dashboard's charts.</summary>
public sealed record TcpPoint(DateTimeOffset Time, TcpRatesView Rates, int ActiveConnections, double CurrentWindowSize, double? AckRttMean);
