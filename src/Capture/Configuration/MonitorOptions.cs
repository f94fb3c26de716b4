namespace RoutingFlow.Capture.Configuration;

/// <summary><c>RoutingFlow:Monitor</c>: each WAN's capacity against its actual traffic, and when that is an incident.</summary>
public sealed class MonitorOptions
{
    /// <summary>How often each WAN is checked.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>combined</c>: rx + tx against the rx capacity (the original monitor's rule); <c>per-direction</c>: rx against rx and tx against tx; <c>auto</c>: per-direction where both capacities are known.</summary>
    public string Compare { get; set; } = "auto";

    /// <summary>Overloaded when utilisation (actual / capacity) is above this.</summary>
    public double Threshold { get; set; } = 1.0;

    /// <summary>Continuous overload before an incident opens.</summary>
    public TimeSpan SustainFor { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Continuous time below the threshold before an incident closes.</summary>
    public TimeSpan ClearFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An overload within this long of the last incident's end reopens it instead of opening another.</summary>
    public TimeSpan MinIncidentGap { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many IPs by rx and by tx an incident names.</summary>
    public int TopIps { get; set; } = 5;
}
