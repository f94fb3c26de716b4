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
    IncidentView? Incident)
{
    /// <summary>While the WAN is overloaded: the rebalancing plan in words (which hosts to move where).</summary>
    public string? Advice { get; init; }
}

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
    double? RttAtPeakSeconds)
{
    /// <summary>The direction that was over at the peak (<c>rx</c>, <c>tx</c>, <c>both</c>); null when not recorded.</summary>
    public string? OverDirection { get; init; }

    /// <summary>The top talkers at the peak, the over direction's first.</summary>
    public IReadOnlyList<CulpritView> Culprits { get; init; } = [];

    /// <summary>Why the WAN was over (null until diagnosed).</summary>
    public DiagnosisView? Diagnosis { get; init; }

    /// <summary>
    /// The culprits in one line, the over direction's first three with their share (<c>tx over: top tx 10.0.0.2 47.8 Mbit/s (97%)</c>);
    /// the top rx for an incident that did not record its direction.
    /// </summary>
    public string Culprit => CulpritParts is var (prefix, hosts) && hosts.Count > 0 ? prefix + string.Join(", ", hosts.Select(h => h.Ip + h.After)) : "";

    /// <summary><see cref="Culprit"/> in parts, so that a page can link each address: the prefix, then each host's address and the rest of its text.</summary>
    public (string Prefix, IReadOnlyList<(string Ip, string After)> Hosts) CulpritParts
    {
        get
        {
            if (Culprits.Count == 0)
                return ("top rx: ", TopRx.Take(3).Select(ip => (ip.Ip, $"{(ip.Name is null ? "" : $" ({ip.Name})")} {RoutingFlow.Capture.Units.BitRate.Format(ip.Bps)}")).ToList());
            var direction = OverDirection is "rx" or "tx" ? OverDirection : Culprits[0].Direction;
            var over = OverDirection == "both" ? "rx and tx over" : $"{direction} over";
            return ($"{over}: top {direction} ", Culprits.Where(c => c.Direction == direction).Take(3).Select(c => (c.Ip, c.Text[c.Ip.Length..])).ToList());
        }
    }
}

/// <summary>An incident's diagnosis: cause (demand, capacity, both, unclear), confidence 0–1, and the sentence.</summary>
public sealed record DiagnosisView(string Cause, double Confidence, string Text)
{
    /// <summary>The window whose medians are the baseline.</summary>
    public DateTimeOffset? BaselineFrom { get; init; }

    public DateTimeOffset? BaselineTo { get; init; }
}

/// <summary>A host an incident names: its rate in one direction and its share of that direction's traffic (0–1).</summary>
public sealed record CulpritView(string Ip, string? Name, string Direction, double Bps, double Share)
{
    public string Label => Name is null ? Ip : $"{Ip} ({Name})";

    public string Text => $"{Label} {RoutingFlow.Capture.Units.BitRate.Format(Bps)} ({(Share * 100).ToString("0", System.Globalization.CultureInfo.InvariantCulture)}%)";
}

/// <summary>One WAN at one time: capacity and actual traffic, bits/s.</summary>
public sealed record LoadPoint(DateTimeOffset Time, double? CapacityRxBps, double? CapacityTxBps, double RxBps, double TxBps)
{
    /// <summary>The WAN's TCP loss ratio over the stored samples up to this one (a 10-second window; null: too few segments, or a minute's average).</summary>
    public double? LossRatio { get; init; }
}
