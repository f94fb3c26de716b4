using Prometheus;

namespace RoutingFlow.Server.Metrics;

/// <summary>
/// The host's metric factory: it creates on the host's registry exactly as prometheus-net's own, and keeps every
/// counter and gauge it made, so the server can read its metrics' values (<see cref="MetricValues"/>) without
/// serializing the registry and parsing the text back. prometheus-net has no read API of its own (its maintainers
/// point at the text, prometheus-net#197); histograms and summaries are written only.
/// </summary>
public sealed class ReadableMetricFactory(IMetricFactory inner, MetricValues values) : IMetricFactory
{
    public ReadableMetricFactory(CollectorRegistry registry) : this(Prometheus.Metrics.WithCustomRegistry(registry), new MetricValues())
    {
    }

    /// <summary>Every counter and gauge made through this factory (and the factories it derives).</summary>
    public MetricValues Values => values;

    public ExemplarBehavior? ExemplarBehavior
    {
        get => inner.ExemplarBehavior;
        set => inner.ExemplarBehavior = value;
    }

    public Counter CreateCounter(string name, string help, CounterConfiguration? configuration = null) =>
        values.Add(inner.CreateCounter(name, help, configuration));

    public Gauge CreateGauge(string name, string help, GaugeConfiguration? configuration = null) =>
        values.Add(inner.CreateGauge(name, help, configuration));

    public Histogram CreateHistogram(string name, string help, HistogramConfiguration? configuration = null) =>
        inner.CreateHistogram(name, help, configuration);

    public Summary CreateSummary(string name, string help, SummaryConfiguration? configuration = null) =>
        inner.CreateSummary(name, help, configuration);

    public Counter CreateCounter(string name, string help, string[] labelNames, CounterConfiguration? configuration = null) =>
        values.Add(inner.CreateCounter(name, help, labelNames, configuration));

    public Gauge CreateGauge(string name, string help, string[] labelNames, GaugeConfiguration? configuration = null) =>
        values.Add(inner.CreateGauge(name, help, labelNames, configuration));

    public Histogram CreateHistogram(string name, string help, string[] labelNames, HistogramConfiguration? configuration = null) =>
        inner.CreateHistogram(name, help, labelNames, configuration);

    public Summary CreateSummary(string name, string help, string[] labelNames, SummaryConfiguration? configuration = null) =>
        inner.CreateSummary(name, help, labelNames, configuration);

    /// <summary>Not used by the server: static labels would be invisible to <see cref="MetricValues"/>.</summary>
    public IMetricFactory WithLabels(IDictionary<string, string> labels) =>
        throw new NotSupportedException("RoutingFlow's metrics carry their labels themselves; static factory labels would not be readable");

    public IManagedLifetimeMetricFactory WithManagedLifetime(TimeSpan expiresAfter) =>
        throw new NotSupportedException("RoutingFlow's metrics remove their idle series themselves");
}
