namespace RoutingFlow.Server.Monitoring;

/// <summary>An IP and its rate, bits/s, with the name DNS or TLS gave it on the wire when one was known.</summary>
public readonly record struct IpRate(string Ip, double Bps, string? Name = null);

/// <summary>
/// One overload of one WAN: when, under which rule, the capacity at its start and its range over the incident,
/// the peak actual traffic and utilisation, the top IPs by rx and tx at the peak, and the probe's RTT at the
/// start and at the peak — so that a later diagnosis (demand surge or capacity drop) reads stored data.
/// <see cref="EndedAt"/> is null while open.
/// </summary>
public sealed record Incident(
    long Id,
    string Nic,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    CompareMode Compare,
    double? CapacityRxBps,
    double? CapacityTxBps,
    double? CapacityRxMinBps,
    double? CapacityRxMaxBps,
    double? CapacityTxMinBps,
    double? CapacityTxMaxBps,
    double PeakRxBps,
    double PeakTxBps,
    double PeakUtilization,
    DateTimeOffset PeakAt,
    IReadOnlyList<IpRate> TopRx,
    IReadOnlyList<IpRate> TopTx,
    double? RttAtStartSeconds,
    double? RttAtPeakSeconds)
{
    public bool IsOpen => EndedAt is null;

    public string State => IsOpen ? "open" : "closed";
}
