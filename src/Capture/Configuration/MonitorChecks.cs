namespace RoutingFlow.Capture.Configuration;

/// <summary>Validates <c>RoutingFlow:Monitor</c> and <c>RoutingFlow:Storage</c>; every problem is reported with its key.</summary>
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

    public static void Check(StorageOptions storage, List<string> errors)
    {
        if (storage.Path is { } path && path.Trim().Length == 0)
            errors.Add($"{RoutingFlowOptions.Section}:Storage:Path is empty (leave it out for routingflow.db in DataDirectory)");
        ConfigChecks.Span(errors, "Storage:FlushInterval", storage.FlushInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        ConfigChecks.Span(errors, "Storage:RawRetention", storage.RawRetention, TimeSpan.FromMinutes(1), TimeSpan.FromDays(3650));
        ConfigChecks.Span(errors, "Storage:RollupRetention", storage.RollupRetention, TimeSpan.FromMinutes(1), TimeSpan.FromDays(3650));
        ConfigChecks.Span(errors, "Storage:IpRetention", storage.IpRetention, TimeSpan.FromMinutes(1), TimeSpan.FromDays(3650));
        ConfigChecks.Span(errors, "Storage:BusyTimeout", storage.BusyTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        ConfigChecks.Range(errors, "Storage:TopIpsPerMinute", storage.TopIpsPerMinute, 1, 10_000, "");
        ConfigChecks.Range(errors, "Storage:BufferSize", storage.BufferSize, 1_000, 10_000_000, "items");
    }

    public static void Check(AlertOptions alerts, List<string> errors)
    {
        for (var i = 0; i < alerts.Webhooks.Count; i++)
        {
            if (!Uri.TryCreate(alerts.Webhooks[i], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                errors.Add($"{RoutingFlowOptions.Section}:Alerts:Webhooks:{i} is not an absolute http(s) URL");
        }
        ConfigChecks.Span(errors, "Alerts:Timeout", alerts.Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        ConfigChecks.Span(errors, "Alerts:RetryFor", alerts.RetryFor, TimeSpan.Zero, TimeSpan.FromDays(7));
        ConfigChecks.Range(errors, "Alerts:MaxPending", alerts.MaxPending, 1, 1_000_000, "");
        ConfigChecks.Span(errors, "Alerts:EvaluationInterval", alerts.EvaluationInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        if (alerts.TableWarningRatio is < 0 or > 1 || double.IsNaN(alerts.TableWarningRatio))
            errors.Add($"{RoutingFlowOptions.Section}:Alerts:TableWarningRatio {alerts.TableWarningRatio} is not between 0 (off) and 1");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < alerts.Rules.Count; i++)
            CheckRule(alerts.Rules[i], $"{RoutingFlowOptions.Section}:Alerts:Rules:{i}", names, errors);
    }

    private static void CheckRule(ThresholdRuleOptions rule, string key, HashSet<string> names, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(rule.Name))
            errors.Add($"{key}:Name is missing");
        else if (!names.Add(rule.Name))
            errors.Add($"{key}:Name '{rule.Name}' is used by another rule");
        if (!System.Text.RegularExpressions.Regex.IsMatch(rule.MetricName, "^[a-zA-Z_:][a-zA-Z0-9_:]*$"))
            errors.Add($"{key}:Metric '{rule.Metric}' is not a metric name or rate(metric name)");
        if (rule.Op is not (">" or "<"))
            errors.Add($"{key}:Op '{rule.Op}' is not \">\" or \"<\"");
        if (double.IsNaN(rule.Value) || double.IsInfinity(rule.Value))
            errors.Add($"{key}:Value is not a finite number");
        if (rule.For < TimeSpan.Zero || rule.For > TimeSpan.FromDays(1))
            errors.Add($"{key}:For {rule.For} is not between 00:00:00 and 1.00:00:00");
    }
}
