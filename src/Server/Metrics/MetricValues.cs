using System.Collections.Concurrent;
using Prometheus;

namespace RoutingFlow.Server.Metrics;

/// <summary>One series of a counter or gauge: its metric's name, its labels and its value.</summary>
public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>The labels as Prometheus writes them, <c>{a="1",b="2"}</c> (sorted), or empty: a series' identity.</summary>
    public string LabelText => Labels.Count == 0 ? "" : "{" + string.Join(",", Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";
}

/// <summary>
/// The counters and gauges the server made (through <see cref="ReadableMetricFactory"/>), read where they are: the
/// names that exist and every series' value now. Reading is safe beside writers (prometheus-net's values are atomic);
/// what it reads is what the next scrape would show once the sources are brought up to date
/// (<see cref="MetricsExposition.UpdateAsync"/>).
/// </summary>
public sealed class MetricValues
{
    private readonly ConcurrentDictionary<string, Collector> _collectors = new(StringComparer.Ordinal);

    /// <summary>The names of every counter and gauge.</summary>
    public IReadOnlyCollection<string> Names => [.. _collectors.Keys];

    public bool Contains(string name) => _collectors.ContainsKey(name);

    /// <summary>Every series of <paramref name="name"/> (none when there is no such metric).</summary>
    public List<MetricSample> Read(string name)
    {
        var samples = new List<MetricSample>();
        if (!_collectors.TryGetValue(name, out var collector))
            return samples;
        if (collector.LabelNames.Length == 0)
        {
            samples.Add(new MetricSample(name, new Dictionary<string, string>(), ValueOf(collector, [])));
            return samples;
        }
        foreach (var values in LabelValues(collector))
        {
            var labels = new Dictionary<string, string>(collector.LabelNames.Length, StringComparer.Ordinal);
            for (var i = 0; i < collector.LabelNames.Length; i++)
                labels[collector.LabelNames[i]] = values[i];
            samples.Add(new MetricSample(name, labels, ValueOf(collector, values)));
        }
        return samples;
    }

    internal T Add<T>(T collector) where T : Collector
    {
        _collectors[collector.Name] = collector;
        return collector;
    }

    private static IEnumerable<string[]> LabelValues(Collector collector) => collector switch
    {
        Counter c => c.GetAllLabelValues(),
        Gauge g => g.GetAllLabelValues(),
        _ => [],
    };

    private static double ValueOf(Collector collector, string[] labels) => collector switch
    {
        Counter c => labels.Length == 0 ? c.Value : c.WithLabels(labels).Value,
        Gauge g => labels.Length == 0 ? g.Value : g.WithLabels(labels).Value,
        _ => double.NaN,
    };
}
