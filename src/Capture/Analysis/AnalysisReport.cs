using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Analysis;

/// <summary>What <c>routingflow analyze</c> prints. Property names are the JSON contract.</summary>
public sealed record AnalysisReport(
    string File,
    string LinkType,
    long Packets,
    long Bytes,
    long Malformed,
    long Truncated,
    string? FirstTimestamp,
    string? LastTimestamp,
    EndpointRow[] Ips,
    IReadOnlyList<NicTotals> Nics,
    IReadOnlyList<string> Warnings,
    TcpReport? Tcp = null,
    Protocols.ProtocolSnapshot? Protocols = null,
    IReadOnlyList<Protocols.NamedAddress>? Names = null);

/// <summary>One IPv4 or IPv6 endpoint: tx counts frames it sent, rx frames sent to it (wire bytes).</summary>
public readonly record struct EndpointRow(IpAddr Ip, bool Local, string? Nic, long TxPackets, long TxBytes, long RxPackets, long RxBytes);

public sealed record NicTotals(string Nic, long RxBytes, long TxBytes);

/// <summary>
/// The <c>tcp</c> section of <c>analyze</c>: the TCP health analysis of the whole file (every flow, whatever
/// <c>Tcp:Scope</c> says; <see cref="GlobalPackets"/> counts the TCP packets between two global addresses).
/// <see cref="Flows"/> is every flow seen; <see cref="TopFlows"/> the flows with most loss events when asked for.
/// </summary>
public sealed record TcpReport(
    long Packets,
    long GlobalPackets,
    long Flows,
    long Missing,
    long Duplicate,
    long OutOfOrder,
    long WindowShrink,
    long ZeroWindow,
    long KeepAlives,
    long Malformed,
    long FlowEvictions,
    Tcp.HistogramSnapshot GapBytes,
    Tcp.HistogramSnapshot HandshakeRtt,
    Tcp.HistogramSnapshot AckRtt,
    IReadOnlyList<Tcp.TcpFlowView> TopFlows,
    Tcp.ConnectionSummary Connections);
