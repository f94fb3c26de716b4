using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Prometheus;
using RoutingFlow.Server.Metrics;
using RoutingFlow.Server.Tests.Alerts;

namespace RoutingFlow.Server.Tests.Metrics;

/// <summary>The server reads its counters and gauges where they are; what it reads is what the text exposition says.</summary>
public class MetricValuesTests
{
    [Fact]
    public async Task Read_EveryCounterAndGaugeSeries_EqualsTheTextExposition()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = new ReadableMetricFactory(registry);
        var failures = factory.CreateCounter("t_failures_total", "Failures.", ["nic", "reason"]);
        failures.WithLabels("wan0", "refused").Inc(5);
        failures.WithLabels("wan1", "timeout \"slow\"").Inc(2.5);
        factory.CreateGauge("t_ratio", "A ratio.").Set(0.75);
        var removed = factory.CreateGauge("t_rate", "Per IP.", ["ip"]);
        removed.WithLabels("10.0.0.1").Set(1e6);
        removed.WithLabels("10.0.0.2").Set(2e6);
        removed.RemoveLabelled("10.0.0.1");
        factory.CreateHistogram("t_seconds", "A histogram.").Observe(0.1);
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());

        var read = factory.Values.Names.SelectMany(factory.Values.Read).Select(s => $"{s.Name}{s.LabelText} {s.Value}").Order(StringComparer.Ordinal);
        var exposed = ExpositionText.Parse(text).Where(s => !s.Name.StartsWith("t_seconds", StringComparison.Ordinal))
            .Select(s => $"{s.Name}{s.LabelText} {s.Value}").Order(StringComparer.Ordinal);

        Assert.Equal(exposed, read);
        Assert.Equal(4, read.Count());
        Assert.Equal(["t_failures_total", "t_rate", "t_ratio"], factory.Values.Names.Order(StringComparer.Ordinal));
        Assert.Empty(factory.Values.Read("t_seconds"));
    }

    [Fact]
    public async Task ReadAsync_BringsTheSourcesUpToDateFirst()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = new ReadableMetricFactory(registry);
        var gauge = factory.CreateGauge("t_value", "A value.");
        var next = 1;
        var source = new MetricsSource("t", () => gauge.Set(next++));
        using var exposition = new MetricsExposition(registry, factory, [source], new FakeTimeProvider(), NullLogger<MetricsExposition>.Instance, () => next);

        var value = await exposition.ReadAsync(v => v.Read("t_value").Single().Value);

        Assert.Equal(1, value);
        Assert.Equal(2, await exposition.ReadAsync(v => v.Read("t_value").Single().Value)); // a new publication: updated again
    }
}
