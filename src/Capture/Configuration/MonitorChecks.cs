namespace RoutingFlow.Capture.Configuration;

/// <summary>Validates <c>RoutingFlow:Monitor</c>; every problem is reported with its key.</summary>
internal static class MonitorChecks
{
    public static readonly string[] CompareModes = ["auto", "combined", "per-direction"];

    public static void Check(MonitorOptions monitor, List<string> errors)
    {
        if (!CompareModes.Contains(monitor.Compare, StringComparer.OrdinalIgnoreCase))
            errors.Add($"{RoutingFlowOptions.Section}:Monitor:Compare '{monitor.Compare}' is not {string.Join(", ", CompareModes)}");
        ConfigChecks.Span(errors, "Monitor:Interval", monitor.Interval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        ConfigChecks.Span(errors, "Monitor:SustainFor", monitor.SustainFor, TimeSpan.Zero, TimeSpan.FromHours(1));
        ConfigChecks.Span(errors, "Monitor:ClearFor", monitor.ClearFor, TimeSpan.Zero, TimeSpan.FromHours(1));
        ConfigChecks.Span(errors, "Monitor:MinIncidentGap", monitor.MinIncidentGap, TimeSpan.Zero, TimeSpan.FromDays(1));
        ConfigChecks.Range(errors, "Monitor:Threshold", monitor.Threshold, 0, 100, minExclusive: true);
        ConfigChecks.Range(errors, "Monitor:TopIps", monitor.TopIps, 1, 100, "");
    }
}
