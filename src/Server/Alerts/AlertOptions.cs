using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Configuration;

namespace RoutingFlow.Server.Alerts;

/// <summary><c>RoutingFlow:Alerts</c>: who is told when a WAN is overloaded and when it is no longer.</summary>
public sealed class AlertOptions : IFeatureOptions
{
    public static string Section => "Alerts";

    /// <summary>URLs that receive a JSON POST on every incident's start and end (Slack and Mattermost incoming webhooks work as they are).</summary>
    public List<string> Webhooks { get; set; } = [];

    /// <summary>How long one delivery may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an undelivered alert is retried (with back-off) before it is given up, logged and counted.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Alerts waiting for delivery at most; past it the oldest are given up (counted).</summary>
    public int MaxPending { get; set; } = 1000;

    /// <summary>Threshold rules over the metrics on <c>/metrics</c>; each fires and resolves through the webhooks.</summary>
    public List<ThresholdRuleOptions> Rules { get; set; } = [];

    /// <summary>
    /// The built-in rule <c>table-near-capacity</c> fires when a bounded tracking table (tracked IPs, TCP flows, a
    /// device's connections) is fuller than this (0 turns it off).
    /// </summary>
    public double TableWarningRatio { get; set; } = 0.9;

    /// <summary>How often the rules are evaluated (and the rate of a <c>rate(…)</c> metric is taken over).</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(5);

    public void Validate(RoutingFlowOptions core, List<string> errors)
    {
        const string key = $"{RoutingFlowOptions.Section}:Alerts";
        for (var i = 0; i < Webhooks.Count; i++)
        {
            if (!Uri.TryCreate(Webhooks[i], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                errors.Add($"{key}:Webhooks:{i} is not an absolute http(s) URL");
        }
        ConfigChecks.Span(errors, "Alerts:Timeout", Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        ConfigChecks.Span(errors, "Alerts:RetryFor", RetryFor, TimeSpan.Zero, TimeSpan.FromDays(7));
        ConfigChecks.Range(errors, "Alerts:MaxPending", MaxPending, 1, 1_000_000, "");
        ConfigChecks.Span(errors, "Alerts:EvaluationInterval", EvaluationInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        if (TableWarningRatio is < 0 or > 1 || double.IsNaN(TableWarningRatio))
            errors.Add($"{key}:TableWarningRatio {TableWarningRatio} is not between 0 (off) and 1");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Rules.Count; i++)
            Rules[i].Validate($"{key}:Rules:{i}", names, errors);
    }
}

/// <summary>
/// One threshold rule: <see cref="Metric"/> is a metric name as <c>/metrics</c> shows it, or <c>rate(name)</c> for
/// a counter's per-second rate; <see cref="Labels"/> must all match a series (others are free: each matching series is
/// its own alert); it fires when the value is <see cref="Op"/> <see cref="Value"/> for <see cref="For"/>.
/// </summary>
public sealed class ThresholdRuleOptions
{
    public string Name { get; set; } = "";

    public string Metric { get; set; } = "";

    public Dictionary<string, string> Labels { get; set; } = [];

    public string Op { get; set; } = ">";

    public double Value { get; set; }

    public TimeSpan For { get; set; } = TimeSpan.Zero;

    /// <summary>The metric's name without <c>rate(…)</c>.</summary>
    public string MetricName => IsRate ? Metric[5..^1].Trim() : Metric.Trim();

    public bool IsRate => Metric.Trim().StartsWith("rate(", StringComparison.Ordinal) && Metric.Trim().EndsWith(')');

    internal void Validate(string key, HashSet<string> names, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(Name))
            errors.Add($"{key}:Name is missing");
        else if (!names.Add(Name))
            errors.Add($"{key}:Name '{Name}' is used by another rule");
        if (!System.Text.RegularExpressions.Regex.IsMatch(MetricName, "^[a-zA-Z_:][a-zA-Z0-9_:]*$"))
            errors.Add($"{key}:Metric '{Metric}' is not a metric name or rate(metric name)");
        if (Op is not (">" or "<"))
            errors.Add($"{key}:Op '{Op}' is not \">\" or \"<\"");
        if (double.IsNaN(Value) || double.IsInfinity(Value))
            errors.Add($"{key}:Value is not a finite number");
        if (For < TimeSpan.Zero || For > TimeSpan.FromDays(1))
            errors.Add($"{key}:For {For} is not between 00:00:00 and 1.00:00:00");
    }
}
