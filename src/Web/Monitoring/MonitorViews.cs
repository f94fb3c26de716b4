namespace RoutingFlow.Web.Monitoring;

/// <summary>An IP and its rate, bits/s.</summary>
/// <summary>An IP and its rate (bit/s); <see cref="Label"/> adds the name DNS or TLS gave it when one is known.</summary>
public sealed record IpRateView(string Ip, double Bps, string? Name = null)
{
    public string Label => Name is null ? Ip : $"{Ip} ({Name})";
}

/// <summary>
/// One WAN as the monitor sees it now: capacity (after correction; null: unknown) against actual traffic (without
/// the probes' own), utilisation under the compare rule, <see cref="State"/> ok / overloaded / unknown, the busiest
/// IPs while overloaded and the open incident.
/// </summary>
public sealed record WanLoadView(
    string Nic,
    double? CapacityRxBps,
    double? CapacityTxBps,
    double ActualRxBps,
    double ActualTxBps,
    double? Utilization,
    string Compare,
    string State,
    IReadOnlyList<IpRateView> TopRx,
    IReadOnlyList<IpRateView> TopTx,
    IncidentView? Incident);

/// <summary>Every WAN at one tick.</summary>
public sealed record MonitorDashboardView(DateTimeOffset At, IReadOnlyList<WanLoadView> Wans)
{
    public static MonitorDashboardView Empty { get; } = new(DateTimeOffset.MinValue, []);

    public WanLoadView? Of(string nic) => Wans.FirstOrDefault(w => w.Nic == nic);
}

/// <summary>An overload incident as the pages show it; <see cref="EndedAt"/> null while open.</summary>
public sealed record IncidentView(
    long Id,
    string Nic,
    string State,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string Compare,
    double? CapacityRxBps,
    double? CapacityTxBps,
    double? CapacityRxMinBps,
    double? CapacityRxMaxBps,
    double PeakRxBps,
    double PeakTxBps,
    double PeakUtilization,
    DateTimeOffset PeakAt,
    IReadOnlyList<IpRateView> TopRx,
    IReadOnlyList<IpRateView> TopTx,
    double? RttAtStartSeconds,
    double? RttAtPeakSeconds);

/// <summary>One WAN at one time: capacity and actual traffic, bits/s.</summary>
public sealed record LoadPoint(DateTimeOffset Time, double? CapacityRxBps, double? CapacityTxBps, double RxBps, double TxBps);
