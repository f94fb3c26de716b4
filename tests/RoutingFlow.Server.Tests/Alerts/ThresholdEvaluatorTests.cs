using RoutingFlow.Server.Metrics;
using RoutingFlow.Server.Alerts;
using RoutingFlow.Server.Alerts.Thresholds;

namespace RoutingFlow.Server.Tests.Alerts;

public class ThresholdEvaluatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static List<MetricSample> Samples(string text) => ExpositionText.Parse(text);

    [Fact]
    public void Parse_ReadsNamesLabelsAndValues_WithEscapes()
    {
        var samples = Samples("# HELP x y\n# TYPE a gauge\na 1\nb{nic=\"wan0\",path=\"C:\\\\x \\\"q\\\"\"} 2.5e3\nc{} +Inf\nbroken{nic=\"x} 1\n");

        Assert.Equal(3, samples.Count);
        Assert.Equal(("a", 1.0), (samples[0].Name, samples[0].Value));
        Assert.Equal("wan0", samples[1].Labels["nic"]);
        Assert.Equal("C:\\x \"q\"", samples[1].Labels["path"]);
        Assert.Equal(2500, samples[1].Value);
        Assert.True(double.IsPositiveInfinity(samples[2].Value));
        Assert.Equal(["a"], ExpositionText.Families("# TYPE a gauge\na 1\n"));
    }

    [Fact]
    public void ARule_FiresOnlyAfterHoldingForItsFor_PerSeries_AndResolves()
    {
        var rule = new ThresholdRuleOptions { Name = "hot", Metric = "routingflow_wan_utilization_ratio", Op = ">", Value = 0.9, For = TimeSpan.FromSeconds(10) };
        var evaluator = new ThresholdEvaluator([rule]);
        const string Hot = "routingflow_wan_utilization_ratio{nic=\"wan0\"} 0.95\nroutingflow_wan_utilization_ratio{nic=\"wan1\"} 0.2\n";

        Assert.Empty(evaluator.Evaluate(Samples(Hot), T0));
        Assert.Equal("pending", evaluator.Instances.Single().Firing ? "firing" : "pending");
        var fired = Assert.Single(evaluator.Evaluate(Samples(Hot), T0.AddSeconds(10)));
        Assert.Equal((AlertPayload.Firing, "{nic=\"wan0\"}"), (fired.Event, fired.Instance.Series));
        Assert.Empty(evaluator.Evaluate(Samples(Hot), T0.AddSeconds(15))); // fires once

        var resolved = Assert.Single(evaluator.Evaluate(Samples("routingflow_wan_utilization_ratio{nic=\"wan0\"} 0.5\n"), T0.AddSeconds(20)));
        Assert.Equal((AlertPayload.Resolved, 0.5), (resolved.Event, resolved.Value));
        Assert.Empty(evaluator.Instances);
    }

    [Theory]
    [InlineData(-3600)]
    [InlineData(3600)]
    public void AWallClockStep_NeitherResolvesARateAlert_NorStallsOrHastensItsFor(int seconds)
    {
        var rule = new ThresholdRuleOptions { Name = "busy", Metric = "rate(c)", Op = ">", Value = 5, For = TimeSpan.FromSeconds(10) };
        var evaluator = new ThresholdEvaluator([rule]);
        var step = TimeSpan.FromSeconds(seconds);

        Assert.Empty(evaluator.Evaluate(Samples("c 0\n"), T0));
        Assert.Empty(evaluator.Evaluate(Samples("c 10\n"), T0.AddSeconds(1))); // 10/s: pending from 1 s
        Assert.Empty(evaluator.Evaluate(Samples("c 20\n"), T0.AddSeconds(2) + step, step)); // the clock stepped: still 10/s, still pending
        var pending = Assert.Single(evaluator.Instances);
        Assert.Equal(10, pending.Value);
        Assert.False(pending.Firing);
        Assert.Empty(evaluator.Evaluate(Samples("c 100\n"), T0.AddSeconds(10) + step));
        var fired = Assert.Single(evaluator.Evaluate(Samples("c 110\n"), T0.AddSeconds(11) + step)); // 10 s after it began, by the monotonic clock
        Assert.Equal(AlertPayload.Firing, fired.Event);
    }

    [Fact]
    public void ACondition_ThatStopsHoldingBeforeFor_NeverFires()
    {
        var evaluator = new ThresholdEvaluator([new ThresholdRuleOptions { Name = "low", Metric = "m", Op = "<", Value = 1, For = TimeSpan.FromSeconds(30) }]);

        Assert.Empty(evaluator.Evaluate(Samples("m 0\n"), T0));
        Assert.Empty(evaluator.Evaluate(Samples("m 5\n"), T0.AddSeconds(20)));
        Assert.Empty(evaluator.Evaluate(Samples("m 0\n"), T0.AddSeconds(40))); // pending again, from 40 s
        Assert.DoesNotContain(evaluator.Instances, i => i.Firing);
    }

    [Fact]
    public void Rate_IsTheIncreasePerSecond_AndLabelsMustMatch()
    {
        var rule = new ThresholdRuleOptions
        {
            Name = "refusals", Metric = "rate(routingflow_connections_failures_total)", Labels = new() { ["reason"] = "refused" }, Op = ">", Value = 1,
        };
        var evaluator = new ThresholdEvaluator([rule]);
        string Text(int refused, int timeout) => $"routingflow_connections_failures_total{{interface=\"wan0\",nic=\"wan0\",reason=\"refused\"}} {refused}\n" +
            $"routingflow_connections_failures_total{{interface=\"wan0\",nic=\"wan0\",reason=\"timeout\"}} {timeout}\n";

        Assert.Empty(evaluator.Evaluate(Samples(Text(0, 0)), T0)); // no rate before two evaluations
        Assert.Empty(evaluator.Evaluate(Samples(Text(5, 100)), T0.AddSeconds(5))); // 1/s: not above 1; timeouts do not match
        var fired = Assert.Single(evaluator.Evaluate(Samples(Text(25, 100)), T0.AddSeconds(10)));
        Assert.Equal(4, fired.Value);
        var payload = ThresholdWorker.Payload(fired);
        Assert.Equal("refusals is firing: rate(routingflow_connections_failures_total) {interface=\"wan0\",nic=\"wan0\",reason=\"refused\"} is 4, > 1.", payload.Text);
        Assert.Equal(("wan0", "refusals", 4.0), (payload.Nic, payload.Rule, payload.Value));
        Assert.Equal(AlertPayload.Resolved, Assert.Single(evaluator.Evaluate(Samples(Text(25, 100)), T0.AddSeconds(15))).Event);
    }

    [Fact]
    public void Rate_OfACounterSeriesThatAppearsLater_CountsFromZero()
    {
        var evaluator = new ThresholdEvaluator([new ThresholdRuleOptions { Name = "r", Metric = "rate(c_total)", Op = ">", Value = 0 }]);
        Assert.Empty(evaluator.Evaluate(Samples("other 1\n"), T0));

        var fired = Assert.Single(evaluator.Evaluate(Samples("c_total{reason=\"refused\"} 3\n"), T0.AddSeconds(1)));

        Assert.Equal(3, fired.Value);
    }

    [Fact]
    public void ASeriesThatDisappears_WhileFiring_Resolves()
    {
        var evaluator = new ThresholdEvaluator([new ThresholdRuleOptions { Name = "r", Metric = "m", Op = ">", Value = 0 }]);
        Assert.Single(evaluator.Evaluate(Samples("m{device=\"veth0\"} 3\n"), T0));

        var resolved = Assert.Single(evaluator.Evaluate(Samples(""), T0.AddSeconds(5)));

        Assert.Equal(AlertPayload.Resolved, resolved.Event);
    }
}
