using System.Globalization;
using RoutingFlow.Server.Configuration;

namespace RoutingFlow.Server.Alerts.Thresholds;

/// <summary>
/// Evaluates <c>RoutingFlow:Alerts:Rules</c> every <c>Alerts:EvaluationInterval</c> over the counters and gauges
/// <c>/metrics</c> serves, read where they are (<see cref="Metrics.MetricValues"/>: a rule names a metric exactly as Prometheus sees it), and sends each firing and resolution
/// through the webhooks with a human <c>text</c>. A rule naming a metric the server does not expose stops the start
/// with an error naming its key (<see cref="ValidateAsync"/>).
/// </summary>
public sealed partial class ThresholdWorker(AlertOptions options, Metrics.MetricsExposition exposition, AlertSender sender, TimeProvider time,
    ILogger<ThresholdWorker> logger) : BackgroundService
{
    public const string TableRule = "table-near-capacity";

    public ThresholdEvaluator Evaluator { get; } = new(AllRules(options));

    private readonly string[] _metrics = [.. AllRules(options).Select(r => r.MetricName).Distinct(StringComparer.Ordinal)];
    private readonly Hosting.WallClock _clock = new(time, logger, "the threshold alerts");

    /// <summary>The configured rules and the built-in <see cref="TableRule"/> (unless <c>Alerts:TableWarningRatio</c> is 0).</summary>
    public static List<ThresholdRuleOptions> AllRules(AlertOptions alerts) => alerts.TableWarningRatio > 0
        ? [.. alerts.Rules, new ThresholdRuleOptions { Name = TableRule, Metric = Metrics.TableMetrics.Name, Op = ">", Value = alerts.TableWarningRatio }]
        : [.. alerts.Rules];

    /// <summary>
    /// Every rule's metric must be one the registry exposes (before the host starts, so that the error is a message and
    /// not a failed start): otherwise a <see cref="ConfigurationException"/> naming each rule's key.
    /// </summary>
    public static async Task ValidateAsync(IReadOnlyList<ThresholdRuleOptions> rules, Metrics.MetricsExposition exposition)
    {
        if (rules.Count == 0)
            return;
        var errors = await exposition.ReadAsync(values => rules.Select((rule, i) => (rule, i)).Where(r => !values.Contains(r.rule.MetricName))
            .Select(r => $"RoutingFlow:Alerts:Rules:{r.i}:Metric '{r.rule.Metric}': the server exposes no metric {r.rule.MetricName} (a counter or gauge; see /metrics)").ToList());
        if (errors.Count > 0)
            throw new ConfigurationException(errors);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Evaluator.Rules.Count == 0)
            return;
        using var timer = new PeriodicTimer(options.EvaluationInterval, time);
        do
        {
            try
            {
                await EvaluateAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        var samples = await exposition.ReadAsync(values => _metrics.SelectMany(values.Read).ToList(), cancellationToken);
        var (now, step) = _clock.Read();
        foreach (var t in Evaluator.Evaluate(samples, now, step))
        {
            var payload = Payload(t);
            LogTransition(logger, payload.Text);
            sender.Enqueue(payload);
        }
    }

    /// <summary>The monitor's payload shape, with the rule's fields; <c>text</c> one sentence for chat webhooks.</summary>
    public static AlertPayload Payload(AlertTransition t)
    {
        var i = t.Instance;
        var series = i.Series.Length == 0 ? "" : " " + i.Series;
        var value = t.Value.ToString("0.###", CultureInfo.InvariantCulture);
        var threshold = t.Rule.Value.ToString("0.###", CultureInfo.InvariantCulture);
        var text = t.Event == AlertPayload.Firing
            ? $"{t.Rule.Name} is firing: {t.Rule.Metric}{series} is {value}, {t.Rule.Op} {threshold}" + (t.Rule.For > TimeSpan.Zero ? $" for {t.Rule.For}." : ".")
            : $"{t.Rule.Name} resolved: {t.Rule.Metric}{series} is {value}, no longer {t.Rule.Op} {threshold}.";
        return new AlertPayload(text, t.Event, i.Id, i.Labels.GetValueOrDefault("nic") ?? "", null, null, null, [], [], i.Since,
            t.Event == AlertPayload.Resolved ? t.At : null)
        {
            Rule = t.Rule.Name, Metric = t.Rule.Metric, Labels = i.Labels, Value = t.Value, Op = t.Rule.Op, Threshold = t.Rule.Value,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Text}")]
    private static partial void LogTransition(ILogger logger, string text);

    [LoggerMessage(Level = LogLevel.Error, Message = "Evaluating the alert rules failed")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
