namespace RoutingFlow.Web.Probing;

/// <summary>
/// The capacity probes as the dashboard shows them, published after every probe: per interface its rx/tx capacity
/// and its targets with their latest estimate, state and the last hour. Estimates are after correction, bits/s.
/// </summary>
public sealed record ProbeView(bool Enabled, double CorrectionFactor, string? CorrectionFactorError, IReadOnlyList<InterfaceProbeView> Interfaces)
{
    public static ProbeView Empty { get; } = new(false, 1, null, []);

    /// <summary>The interface a WAN's probes leave by, if any.</summary>
    public InterfaceProbeView? OfNic(string nic) => Interfaces.FirstOrDefault(i => i.Nic == nic);
}

/// <summary><see cref="State"/>: pending (no estimate yet), ok, degraded (some targets failing), unknown (all failing).</summary>
public sealed record InterfaceProbeView(string Interface, string? Nic, double? RxCapacityBps, double? TxCapacityBps, string State, IReadOnlyList<TargetProbeView> Targets);

/// <summary><see cref="State"/>: pending, ok or failed.</summary>
public sealed record TargetProbeView(
    int Index,
    string Server,
    string Method,
    string Direction,
    string State,
    double? EstimateBps,
    double? RttSeconds,
    DateTimeOffset? LastSuccess,
    string? LastError,
    DateTimeOffset? NextRun,
    IReadOnlyList<ProbePoint> History)
{
    /// <summary>The others' traffic on the line during the last probe, included in its estimate (after correction), bits/s.</summary>
    public double? CrossTrafficBps { get; init; }
}

/// <summary>One probe in a target's history: its estimate (null: failed) and RTT.</summary>
public sealed record ProbePoint(DateTimeOffset Time, double? EstimateBps, double? RttSeconds);
