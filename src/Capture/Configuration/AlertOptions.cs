namespace RoutingFlow.Capture.Configuration;

/// <summary><c>RoutingFlow:Alerts</c>: who is told when a WAN is overloaded and when it is no longer.</summary>
public sealed class AlertOptions
{
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
}
