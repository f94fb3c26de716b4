using RoutingFlow.Server.Metrics;

namespace RoutingFlow.Server.Alerts.Thresholds;

/// <summary>
/// The threshold rules' state, one alert per rule and matching series: a series whose value crosses the threshold is
/// pending, then firing once it has held for the rule's <c>For</c>; it resolves when it no longer holds (or the series
/// is gone). <c>rate(name)</c> takes the per-second increase since the previous evaluation (a counter reset counts
/// as its new value; a series new since the previous evaluation counts from 0). One caller at a time.
/// </summary>
public sealed class ThresholdEvaluator(IReadOnlyList<ThresholdRuleOptions> rules)
{
    private readonly Dictionary<(string Rule, string Series), AlertInstance> _instances = [];
    private Dictionary<string, double> _previous = new(StringComparer.Ordinal);
    private DateTimeOffset? _previousAt;
    private long _nextId = 1;

    public IReadOnlyList<ThresholdRuleOptions> Rules => rules;

    /// <summary>Every alert instance now (pending or firing).</summary>
    public IReadOnlyList<AlertInstance> Instances => [.. _instances.Values.OrderBy(i => i.Rule, StringComparer.Ordinal).ThenBy(i => i.Series, StringComparer.Ordinal)];

    /// <summary>Evaluates every rule on the samples taken at <paramref name="now"/>; returns what fired and what resolved.</summary>
    /// <param name="step">How far the wall clock stepped since the previous evaluation (<see cref="Hosting.WallClock"/>): rates
    /// and pending times are measured across it by the monotonic clock.</param>
    public List<AlertTransition> Evaluate(IReadOnlyList<MetricSample> samples, DateTimeOffset now, TimeSpan step = default)
    {
        if (step != TimeSpan.Zero)
        {
            _previousAt += step;
            foreach (var instance in _instances.Values)
                instance.Shift(step);
        }
        var seconds = _previousAt is { } before ? (now - before).TotalSeconds : 0;
        var current = samples.GroupBy(s => s.Name + s.LabelText).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        var transitions = new List<AlertTransition>();
        var seen = new HashSet<(string, string)>();
        foreach (var rule in rules)
        {
            foreach (var sample in samples.Where(s => s.Name == rule.MetricName && Matches(rule, s)))
            {
                var key = sample.Name + sample.LabelText;
                // A counter series that appears after the first evaluation started from 0 (ours are created at their first count).
                var was = _previous.GetValueOrDefault(key);
                double? value = !rule.IsRate ? sample.Value
                    : seconds > 0 ? Math.Max(0, sample.Value >= was ? sample.Value - was : sample.Value) / seconds : null;
                if (value is not { } v || double.IsNaN(v))
                    continue;
                seen.Add((rule.Name, sample.LabelText));
                Step(rule, sample, v, now, transitions);
            }
        }
        foreach (var gone in _instances.Keys.Where(k => !seen.Contains(k)).ToList())
            Resolve(gone, _instances[gone].Value, now, transitions);
        (_previous, _previousAt) = (current, now);
        return transitions;
    }

    private void Step(ThresholdRuleOptions rule, MetricSample sample, double value, DateTimeOffset now, List<AlertTransition> transitions)
    {
        var key = (rule.Name, sample.LabelText);
        var holds = rule.Op == ">" ? value > rule.Value : value < rule.Value;
        if (!holds)
        {
            if (_instances.ContainsKey(key))
                Resolve(key, value, now, transitions);
            return;
        }
        if (!_instances.TryGetValue(key, out var instance))
            _instances[key] = instance = new AlertInstance(_nextId++, rule.Name, rule.Metric, sample.LabelText, sample.Labels, now);
        instance.Value = value;
        if (!instance.Firing && now - instance.Since >= rule.For)
        {
            instance.Firing = true;
            instance.FiredAt = now;
            transitions.Add(new AlertTransition(AlertPayload.Firing, rule, instance, value, now));
        }
    }

    private void Resolve((string, string) key, double value, DateTimeOffset now, List<AlertTransition> transitions)
    {
        var instance = _instances[key];
        _instances.Remove(key);
        if (instance.Firing)
            transitions.Add(new AlertTransition(AlertPayload.Resolved, rules.First(r => r.Name == instance.Rule), instance, value, now));
    }

    private static bool Matches(ThresholdRuleOptions rule, MetricSample sample) =>
        rule.Labels.All(l => sample.Labels.TryGetValue(l.Key, out var v) && v == l.Value);
}

/// <summary>One rule's alert on one series: since when the condition holds, whether it fires, its last value.</summary>
public sealed class AlertInstance(long id, string rule, string metric, string series, IReadOnlyDictionary<string, string> labels, DateTimeOffset since)
{
    public long Id { get; } = id;
    public string Rule { get; } = rule;
    public string Metric { get; } = metric;
    public string Series { get; } = series;
    public IReadOnlyDictionary<string, string> Labels { get; } = labels;
    public DateTimeOffset Since { get; private set; } = since;
    public bool Firing { get; set; }
    public DateTimeOffset? FiredAt { get; set; }
    public double Value { get; set; }

    /// <summary>The wall clock stepped: its times follow, so that the pending time stays true.</summary>
    public void Shift(TimeSpan step)
    {
        Since += step;
        FiredAt += step;
    }
}

public sealed record AlertTransition(string Event, ThresholdRuleOptions Rule, AlertInstance Instance, double Value, DateTimeOffset At);
