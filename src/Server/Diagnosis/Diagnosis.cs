namespace RoutingFlow.Server.Diagnosis;

/// <summary>Rates per direction, bits/s (null: unknown).</summary>
public sealed record DirectionRates(double? RxBps, double? TxBps);

/// <summary>The baseline window and its median traffic.</summary>
public sealed record BaselineRates(DateTimeOffset From, DateTimeOffset To, double? RxBps, double? TxBps);

/// <summary>A host whose traffic grew most against the baseline, bits/s (its larger direction).</summary>
public sealed record HostGrowth(string Ip, string? Name, double Bps, string Direction);

/// <summary>
/// Why a WAN is over its capacity: <see cref="Cause"/> <c>demand</c> (traffic rose well above its baseline while
/// capacity held), <c>capacity</c> (capacity fell or the line's health worsened while traffic held), <c>both</c>, or
/// <c>unclear</c>; <see cref="Confidence"/> 0–1; <see cref="Text"/> in one sentence; the <see cref="Evidence"/> as numbers.
/// </summary>
public sealed record IncidentDiagnosis(string Cause, double Confidence, string Text, DiagnosisEvidence Evidence)
{
    public const string Demand = "demand";
    public const string Capacity = "capacity";
    public const string Both = "both";
    public const string Unclear = "unclear";
}
