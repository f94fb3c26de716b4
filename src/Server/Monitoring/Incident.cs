namespace RoutingFlow.Server.Monitoring;

/// <summary>An IP and its rate, bits/s, with the name DNS or TLS gave it on the wire when one was known.</summary>
public readonly record struct IpRate(string Ip, double Bps, string? Name = null);

/// <summary>
/// A host named by an incident: its rate in one direction at the peak and its <see cref="Share"/> of the WAN's traffic
/// in that direction then (0–1). <see cref="Direction"/> is <c>rx</c> or <c>tx</c>.
/// </summary>
public sealed record Culprit(string Ip, string? Name, string Direction, double Bps, double Share);

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
    /// <summary>The direction that was over at the peak (per-direction: each one above the threshold; combined: the larger share).</summary>
    public OverDirection Over { get; init; }

    /// <summary>The top talkers at the peak, the over direction's first, each with its share of that direction's traffic.</summary>
    public IReadOnlyList<Culprit> Culprits { get; init; } = [];

    /// <summary>Why the WAN was over (null until diagnosed, a few seconds after the incident opens).</summary>
    public Diagnosis.IncidentDiagnosis? Diagnosis { get; init; }

    /// <summary>The rebalancing plan while it was open (the last one that moved hosts), null when none was made.</summary>
    public Advice.AdvicePlan? Advice { get; init; }

    /// <summary>The router whose WAN it is: empty for this router's own, the fleet's router label for one watched through Prometheus.</summary>
    public string Router { get; init; } = "";

    public bool IsOpen => EndedAt is null;

    public string State => IsOpen ? "open" : "closed";
}
