using RoutingFlow.Server.Diagnosis;

namespace RoutingFlow.Server.Tests.Diagnosis;

public class DiagnoserTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 18, 0, 0, TimeSpan.Zero);
    private static readonly DiagnosisOptions Options = new();

    private static DiagnosisEvidence Evidence(double baselineRx, double duringRx, double capacityBefore, double capacityDuring,
        double? lossBefore = null, double? lossDuring = null, double? rttBefore = null, double? rttDuring = null, HostGrowth[]? growth = null) =>
        new("wan1", "rx", new BaselineRates(T0.AddMinutes(-15), T0, baselineRx, 1e5), new DirectionRates(duringRx, 2e5),
            new DirectionRates(capacityBefore, null), new DirectionRates(capacityDuring, null), lossBefore, lossDuring, rttBefore, rttDuring, growth ?? []);

    [Fact]
    public void Demand_TrafficRoseWhileCapacityHeld_NamesTheHostThatGrew()
    {
        var d = Diagnoser.Diagnose(Evidence(1e6, 19.5e6, 20e6, 20e6, growth: [new("10.0.0.11", null, 19e6, "rx")]), Options);

        Assert.Equal(("demand", 1.0), (d.Cause, d.Confidence));
        Assert.Equal("wan1 is full because 10.0.0.11 started a 19.0 Mbit/s download; capacity held at 20.0 Mbit/s", d.Text);
    }

    [Fact]
    public void Demand_OnAnIdleLine_IsDemand()
    {
        var d = Diagnoser.Diagnose(Evidence(0, 19.5e6, 20e6, 19.8e6), Options);

        Assert.Equal("demand", d.Cause);
        Assert.Equal("wan1 is full because its rx traffic rose from 0 bit/s to 19.5 Mbit/s; capacity held at 19.8 Mbit/s", d.Text);
    }

    [Fact]
    public void Capacity_TheLineFellWhileTrafficHeld()
    {
        var d = Diagnoser.Diagnose(Evidence(6e6, 6.2e6, 20e6, 5e6), Options);

        Assert.Equal("capacity", d.Cause);
        Assert.InRange(d.Confidence, 0.95, 1.0); // traffic rose by 3%: a little doubt
        Assert.Equal("wan1 is full because its rx capacity fell from 20.0 Mbit/s to 5.00 Mbit/s while its rx traffic held at 6.20 Mbit/s (baseline 6.00 Mbit/s)", d.Text);
    }

    [Fact]
    public void Capacity_TheLineFellBelowTheTraffic_SaysTheTrafficFellWithIt()
    {
        var d = Diagnoser.Diagnose(Evidence(7.9e6, 4.9e6, 19.8e6, 4.9e6), Options);

        Assert.Equal(("capacity", 1.0), (d.Cause, d.Confidence));
        Assert.Equal("wan1 is full because its rx capacity fell from 19.8 Mbit/s to 4.90 Mbit/s; its rx traffic did not rise (it fell from 7.90 Mbit/s to 4.90 Mbit/s, what the line still carries)", d.Text);
    }

    [Fact]
    public void Demand_ThatFillsTheQueue_RaisesRttAndLoss_ButIsNotCalledBoth()
    {
        var d = Diagnoser.Diagnose(Evidence(0, 19.9e6, 10e6, 10e6, lossBefore: 0, lossDuring: 0.03, rttBefore: 0.02, rttDuring: 0.09), Options);

        Assert.Equal(("demand", 1.0), (d.Cause, d.Confidence));
    }

    [Fact]
    public void Capacity_LossRose_IsTheLinesHealth()
    {
        var d = Diagnoser.Diagnose(Evidence(15e6, 15.5e6, 20e6, 20e6, lossBefore: 0.001, lossDuring: 0.04), Options);

        Assert.Equal("capacity", d.Cause);
        Assert.Contains("its loss rose from 0.1% to 4%", d.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_TrafficRoseAndCapacityFell()
    {
        var d = Diagnoser.Diagnose(Evidence(2e6, 12e6, 20e6, 10e6), Options);

        Assert.Equal("both", d.Cause);
        Assert.InRange(d.Confidence, 0.5, 1.0);
        Assert.Equal("wan1 is full because its rx traffic rose from 2.00 Mbit/s to 12.0 Mbit/s and its rx capacity fell from 20.0 Mbit/s to 10.0 Mbit/s", d.Text);
    }

    [Fact]
    public void Unclear_NeitherChangedMuch()
    {
        var d = Diagnoser.Diagnose(Evidence(19e6, 20.5e6, 20e6, 19.5e6), Options);

        Assert.Equal("unclear", d.Cause);
        Assert.InRange(d.Confidence, 0.5, 1.0);
        Assert.StartsWith("wan1 is full, but neither its traffic", d.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Thresholds_AreTheOptions()
    {
        var evidence = Evidence(10e6, 14e6, 20e6, 20e6); // traffic ×1.4

        Assert.Equal("unclear", Diagnoser.Diagnose(evidence, Options).Cause);
        Assert.Equal("demand", Diagnoser.Diagnose(evidence, new DiagnosisOptions { DemandRise = 1.3 }).Cause);
    }
}
