using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Configuration;

namespace RoutingFlow.Server.Monitoring;

/// <summary><c>RoutingFlow:Monitor</c>: each WAN's capacity against its actual traffic, and when that is an incident.</summary>
public sealed class MonitorOptions : IFeatureOptions
{
    public static string Section => "Monitor";

    public static readonly string[] CompareModes = ["auto", "combined", "per-direction"];

    /// <summary>How often each WAN is checked.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>combined</c>: rx + tx against the rx capacity (the original monitor's rule); <c>per-direction</c>: rx against rx and tx against tx; <c>auto</c>: per-direction where both capacities are known.</summary>
    public string Compare { get; set; } = "auto";

    /// <summary>
    /// Overloaded when utilisation (actual / capacity, both in wire bits) is above this. A line cannot carry more than
    /// its capacity, so a saturated one reads 95–100%; more than 100% means demand measured before the bottleneck
    /// (an upload seen on the LAN side, traffic the shaper drops) or a capacity that fell. The 5% above 100% is the
    /// probe's measurement tolerance: a full line does not open incidents.
    /// </summary>
    public double Threshold { get; set; } = 1.05;

    /// <summary>
    /// From this utilisation up to <see cref="Threshold"/> a WAN is <c>full</c>: shown, no incident. With a threshold
    /// below it (an operator alerting at 80%) there is no full state: a WAN is ok or overloaded, as before.
    /// </summary>
    public double FullAt { get; set; } = 0.95;

    /// <summary>Continuous overload before an incident opens.</summary>
    public TimeSpan SustainFor { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Continuous time below the threshold before an incident closes.</summary>
    public TimeSpan ClearFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An overload within this long of the last incident's end reopens it instead of opening another.</summary>
    public TimeSpan MinIncidentGap { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many IPs by rx and by tx an incident names.</summary>
    public int TopIps { get; set; } = 5;

    public void Validate(RoutingFlowOptions core, List<string> errors)
    {
        if (!CompareModes.Contains(Compare, StringComparer.OrdinalIgnoreCase))
            errors.Add($"{RoutingFlowOptions.Section}:Monitor:Compare '{Compare}' is not {string.Join(", ", CompareModes)}");
        ConfigChecks.Span(errors, "Monitor:Interval", Interval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        ConfigChecks.Span(errors, "Monitor:SustainFor", SustainFor, TimeSpan.Zero, TimeSpan.FromHours(1));
        ConfigChecks.Span(errors, "Monitor:ClearFor", ClearFor, TimeSpan.Zero, TimeSpan.FromHours(1));
        ConfigChecks.Span(errors, "Monitor:MinIncidentGap", MinIncidentGap, TimeSpan.Zero, TimeSpan.FromDays(1));
        ConfigChecks.Range(errors, "Monitor:Threshold", Threshold, 0, 100, minExclusive: true);
        ConfigChecks.Range(errors, "Monitor:FullAt", FullAt, 0, 100, minExclusive: true);
        ConfigChecks.Range(errors, "Monitor:TopIps", TopIps, 1, 100, "");
    }
}
