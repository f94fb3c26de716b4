using System.Globalization;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Capture.Units;

namespace RoutingFlow.Server.Alerts;

/// <summary>An IP and its rate in an alert.</summary>
public sealed record AlertIp(string Ip, double Bps, string? Name = null);

/// <summary>
/// The JSON posted to each webhook on an incident's start and end. <see cref="Text"/> is one human sentence, so
/// Slack and Mattermost incoming webhooks show it as they are; the rest is for programs.
/// <see cref="CapacityBps"/> and <see cref="ActualBps"/> are those the compare rule used (combined: rx capacity
/// against rx + tx; per-direction: the direction at the peak).
/// </summary>
public sealed record AlertPayload(
    string Text,
    string Event,
    long IncidentId,
    string Nic,
    double? CapacityBps,
    double? ActualBps,
    double? Utilization,
    IReadOnlyList<AlertIp> TopRx,
    IReadOnlyList<AlertIp> TopTx,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt)
{
    public const string Started = "overload_started";
    public const string Ended = "overload_ended";
    public const string Firing = "threshold_firing";
    public const string Resolved = "threshold_resolved";

    /// <summary>A threshold rule's alert: the rule's name, the metric and the series' labels, its value and the threshold.</summary>
    public string? Rule { get; init; }

    public string? Metric { get; init; }

    /// <summary>An overload's direction that was over (<c>rx</c>, <c>tx</c>, <c>both</c>).</summary>
    public string? OverDirection { get; init; }

    /// <summary>An overload's culprits, the over direction's first: {ip, name, direction, bps, share}.</summary>
    public IReadOnlyList<Culprit>? Culprits { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public double? Value { get; init; }

    /// <summary>A watched router's incident (fleet mode): its router label; absent for this router's own.</summary>
    public string? Router { get; init; }

    public string? Op { get; init; }

    public double? Threshold { get; init; }

    public static AlertPayload From(Incident incident)
    {
        var (capacity, actual) = Compared(incident);
        var started = incident.IsOpen;
        var wan = incident.Router.Length > 0 ? $"{incident.Router} {incident.Nic}" : incident.Nic; // a watched router's WAN is named with its router
        var text = started
            ? string.Create(CultureInfo.InvariantCulture, $"{wan} is overloaded: {BitRate.Format(actual)} against a capacity of {Rate(capacity)} ({Percent(incident.PeakUtilization)}){Top(incident)}.{Cause(incident)}")
            : string.Create(CultureInfo.InvariantCulture, $"{wan} is back under its capacity after {Duration(incident.EndedAt!.Value - incident.StartedAt)} (incident {incident.Id}, peak {Percent(incident.PeakUtilization)} of {Rate(capacity)}{Top(incident)}).{Cause(incident)}");
        return new AlertPayload(text, started ? Started : Ended, incident.Id, incident.Nic, capacity, actual, incident.PeakUtilization,
            incident.TopRx.Select(i => new AlertIp(i.Ip, i.Bps, i.Name)).ToList(), incident.TopTx.Select(i => new AlertIp(i.Ip, i.Bps, i.Name)).ToList(),
            incident.StartedAt, incident.EndedAt)
        {
            OverDirection = incident.Over.Name(),
            Culprits = incident.Culprits,
            Router = incident.Router.Length > 0 ? incident.Router : null,
        };
    }

    private static (double? Capacity, double Actual) Compared(Incident i)
    {
        if (i.Compare == CompareMode.Combined)
            return (i.CapacityRxBps, i.PeakRxBps + i.PeakTxBps);
        var rx = i.CapacityRxBps is > 0 ? i.PeakRxBps / i.CapacityRxBps.Value : 0;
        var tx = i.CapacityTxBps is > 0 ? i.PeakTxBps / i.CapacityTxBps.Value : 0;
        return rx >= tx ? (i.CapacityRxBps, i.PeakRxBps) : (i.CapacityTxBps, i.PeakTxBps);
    }

    /// <summary>The over direction's top talkers, first (with their share of that direction); the top rx when the direction is not known.</summary>
    private static string Top(Incident i)
    {
        if (i.Culprits.Count == 0)
            return i.TopRx.Count == 0 ? "" : $"; top rx {string.Join(", ", i.TopRx.Take(3).Select(ip => $"{ip.Ip}{(ip.Name is null ? "" : $" ({ip.Name})")} {BitRate.Format(ip.Bps)}"))}";
        var direction = i.Over is Monitoring.OverDirection.Rx or Monitoring.OverDirection.Tx ? i.Over.Name()! : i.Culprits[0].Direction;
        var over = i.Over == Monitoring.OverDirection.Both ? "both directions are over" : $"{direction} is over";
        var named = i.Culprits.Where(c => c.Direction == direction).Take(3)
            .Select(c => $"{c.Ip}{(c.Name is null ? "" : $" ({c.Name})")} {BitRate.Format(c.Bps)} ({Percent(c.Share)})");
        return $"; {over}: top {direction} {string.Join(", ", named)}";
    }

    /// <summary>" Cause: demand (90%): wan1 is full because …." once the incident is diagnosed.</summary>
    private static string Cause(Incident i) =>
        (i.Diagnosis is { } d ? $" Cause: {d.Cause} ({Percent(d.Confidence)}): {d.Text}." : "")
        + (i.Advice is { Moves.Count: > 0 } a ? $" Advice: {a.Text}." : "");

    private static string Percent(double ratio) => (ratio * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Rate(double? bps) => bps is { } b ? BitRate.Format(b) : "unknown";

    private static string Duration(TimeSpan span) => span.TotalMinutes >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds} s")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)span.TotalSeconds)} s");
}
