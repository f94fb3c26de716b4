using System.Globalization;
using RoutingFlow.Capture.Units;

namespace RoutingFlow.Server.Diagnosis;

/// <summary>The evidence for one incident, gathered from the stored history and the live state.</summary>
public sealed record DiagnosisEvidence(
    string Nic,
    string OverDirection,
    BaselineRates Baseline,
    DirectionRates During,
    DirectionRates CapacityBefore,
    DirectionRates CapacityDuring,
    double? LossBefore,
    double? LossDuring,
    double? RttBeforeSeconds,
    double? RttDuringSeconds,
    IReadOnlyList<HostGrowth> Growth);

/// <summary>
/// Reads the evidence as a cause. Each signal has a strength from 0 (no change) through 0.5 (its threshold) to 1
/// (twice the threshold's change): demand from the over direction's traffic against its baseline; capacity from the
/// over direction's capacity against its baseline, the loss ratio's rise and the RTT's rise (the strongest of the
/// three; loss and RTT only while the demand held, since a queue that demand fills raises both). A signal at or past its threshold names the cause (both: <c>both</c>; neither: <c>unclear</c>). The
/// confidence is the named signal's strength, lowered by half the other's (for <c>both</c>, the weaker of the two;
/// for <c>unclear</c>, 1 minus the stronger).
/// </summary>
public static class Diagnoser
{
    public static IncidentDiagnosis Diagnose(DiagnosisEvidence e, DiagnosisOptions options)
    {
        var tx = e.OverDirection == "tx";
        // An idle baseline is a floor of 1% of the capacity (at least 1 kbit/s): a new download on a quiet line is demand.
        var floor = Math.Max(1_000, 0.01 * (Pick(e.CapacityBefore, tx) ?? 0));
        var baseline = (tx ? e.Baseline.TxBps : e.Baseline.RxBps) is { } known ? Math.Max(known, floor) : (double?)null;
        var demand = Strength(Ratio(Pick(e.During, tx), baseline), options.DemandRise);
        var capacityDrop = Strength(Ratio(Pick(e.CapacityBefore, tx), Pick(e.CapacityDuring, tx)), 1 / options.CapacityHeld);
        var loss = e.LossBefore is { } lb && e.LossDuring is { } ld ? Math.Clamp((ld - lb) / options.LossRise / 2, 0, 1) : 0;
        var rtt = Strength(Ratio(e.RttDuringSeconds, e.RttBeforeSeconds), options.RttRise);
        // A full queue raises loss and RTT whatever filled it: the line's health speaks for the line only while
        // the demand held. With demand up, only a fall of the probed capacity says the line got worse too.
        var capacity = demand >= 0.5 ? capacityDrop : Math.Max(capacityDrop, Math.Max(loss, rtt));
        var (cause, confidence) = (demand >= 0.5, capacity >= 0.5) switch
        {
            (true, true) => (IncidentDiagnosis.Both, Math.Min(demand, capacity)),
            (true, false) => (IncidentDiagnosis.Demand, demand * (1 - capacity / 2)),
            (false, true) => (IncidentDiagnosis.Capacity, capacity * (1 - demand / 2)),
            _ => (IncidentDiagnosis.Unclear, 1 - Math.Max(demand, capacity)),
        };
        return new IncidentDiagnosis(cause, Math.Round(confidence, 4), Text(e, cause, tx, capacityDrop >= loss && capacityDrop >= rtt ? "capacity" : loss >= rtt ? "loss" : "rtt"), e);
    }

    /// <summary>0 for no change, 0.5 at <paramref name="threshold"/>, 1 at twice the threshold's change (ratios).</summary>
    private static double Strength(double? ratio, double threshold) =>
        ratio is { } r && r > 1 ? Math.Clamp((r - 1) / (threshold - 1) / 2, 0, 1) : 0;

    /// <summary>a / b, when both are known and b is above zero.</summary>
    private static double? Ratio(double? a, double? b) => a is { } x && b is > 0 and var y ? x / y : null;

    private static double? Pick(DirectionRates rates, bool tx) => tx ? rates.TxBps : rates.RxBps;

    private static string Text(DiagnosisEvidence e, string cause, bool tx, string health)
    {
        var direction = tx ? "tx" : "rx";
        var during = Pick(e.During, tx);
        var baseline = tx ? e.Baseline.TxBps : e.Baseline.RxBps;
        var (before, now) = (Pick(e.CapacityBefore, tx), Pick(e.CapacityDuring, tx));
        var grew = e.Growth.Count > 0
            ? $"{e.Growth[0].Ip}{(e.Growth[0].Name is { } n ? $" ({n})" : "")} started a {Rate(e.Growth[0].Bps)} {(e.Growth[0].Direction == "tx" ? "upload" : "download")}"
            : $"its {direction} traffic rose from {Rate(baseline)} to {Rate(during)}";
        var fell = health switch
        {
            "loss" => $"its loss rose from {Percent(e.LossBefore)} to {Percent(e.LossDuring)}",
            "rtt" => $"its RTT rose from {Ms(e.RttBeforeSeconds)} to {Ms(e.RttDuringSeconds)}",
            _ => $"its {direction} capacity fell from {Rate(before)} to {Rate(now)}",
        };
        return cause switch
        {
            IncidentDiagnosis.Demand => $"{e.Nic} is full because {grew}; capacity held at {Rate(now)}",
            IncidentDiagnosis.Capacity => during < 0.9 * baseline
                ? $"{e.Nic} is full because {fell}; its {direction} traffic did not rise (it fell from {Rate(baseline)} to {Rate(during)}, what the line still carries)"
                : $"{e.Nic} is full because {fell} while its {direction} traffic held at {Rate(during)} (baseline {Rate(baseline)})",
            IncidentDiagnosis.Both => $"{e.Nic} is full because {grew} and {fell}",
            _ => $"{e.Nic} is full, but neither its traffic ({Rate(baseline)} → {Rate(during)} {direction}) nor its capacity ({Rate(before)} → {Rate(now)}) changed much against the baseline",
        };
    }

    private static string Rate(double? bps) => bps is { } b ? BitRate.Format(b) : "unknown";

    private static string Percent(double? ratio) => ratio is { } r ? (r * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%" : "unknown";

    private static string Ms(double? seconds) => seconds is { } s ? (s * 1000).ToString("0.#", CultureInfo.InvariantCulture) + " ms" : "unknown";
}
