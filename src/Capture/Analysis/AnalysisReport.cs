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
    IReadOnlyList<string> Warnings);

/// <summary>One IPv4 or IPv6 endpoint: tx counts frames it sent, rx frames sent to it (wire bytes).</summary>
public readonly record struct EndpointRow(IpAddr Ip, bool Local, string? Nic, long TxPackets, long TxBytes, long RxPackets, long RxBytes);

public sealed record NicTotals(string Nic, long RxBytes, long TxBytes);
