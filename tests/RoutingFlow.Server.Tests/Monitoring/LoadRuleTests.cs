using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Server.Tests.Monitoring;

public class LoadRuleTests
{
    [Fact]
    public void Combined_IsRxPlusTxAgainstTheRxCapacity()
    {
        var load = LoadRule.Evaluate(new WanReading(100e6, 20e6, 80e6, 30e6, null), CompareMode.Combined, 1.0);

        Assert.Equal((LoadState.Overloaded, CompareMode.Combined), (load.State, load.Mode));
        Assert.Equal(1.1, load.Utilization!.Value, 9);
    }

    [Fact]
    public void PerDirection_IsTheLargerDirection()
    {
        var load = LoadRule.Evaluate(new WanReading(100e6, 20e6, 80e6, 19e6, null), CompareMode.PerDirection, 1.0);

        Assert.Equal(LoadState.Ok, load.State);
        Assert.Equal(0.95, load.Utilization!.Value, 9);
        Assert.Equal(LoadState.Overloaded, LoadRule.Evaluate(new WanReading(100e6, 20e6, 10e6, 21e6, null), CompareMode.PerDirection, 1.0).State);
    }

    [Fact]
    public void Auto_IsPerDirectionWithBothCapacities_CombinedOtherwise()
    {
        Assert.Equal(CompareMode.PerDirection, LoadRule.Evaluate(new WanReading(100e6, 20e6, 1, 1, null), null, 1.0).Mode);
        var rxOnly = LoadRule.Evaluate(new WanReading(100e6, null, 60e6, 50e6, null), null, 1.0);
        Assert.Equal((CompareMode.Combined, LoadState.Overloaded), (rxOnly.Mode, rxOnly.State));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(null, 20e6)]
    [InlineData(0.0, 20e6)]
    public void NoCapacity_IsUnknown_NeverOverloaded(double? rx, double? tx)
    {
        var load = LoadRule.Evaluate(new WanReading(rx, tx, 1e12, 1e12, null), null, 1.0);

        Assert.Equal(LoadState.Unknown, load.State);
        Assert.Null(load.Utilization);
    }

    [Fact]
    public void Threshold_IsStrict()
    {
        Assert.Equal(LoadState.Ok, LoadRule.Evaluate(new WanReading(100e6, null, 80e6, 0, null), CompareMode.Combined, 0.8).State);
        Assert.Equal(LoadState.Overloaded, LoadRule.Evaluate(new WanReading(100e6, null, 80.1e6, 0, null), CompareMode.Combined, 0.8).State);
    }

    [Theory]
    [InlineData(94.9e6, "Ok")]
    [InlineData(95e6, "Full")] // a saturated line, headers and all: full, no incident
    [InlineData(100e6, "Full")]
    [InlineData(105e6, "Full")] // within the probe's tolerance
    [InlineData(105.1e6, "Overloaded")]
    [InlineData(200e6, "Overloaded")] // twice the demand
    public void DefaultOptions_FullFrom95Percent_OverloadedAbove105(double rx, string state)
    {
        var options = new MonitorOptions();

        var load = LoadRule.Evaluate(new WanReading(100e6, 100e6, rx, 0, null), CompareMode.PerDirection, options.Threshold, options.FullAt);

        Assert.Equal(Enum.Parse<LoadState>(state), load.State);
        Assert.Equal(load.State == LoadState.Overloaded ? OverDirection.Rx : OverDirection.None, load.Over);
    }

    [Fact]
    public void FullAtAboveTheThreshold_IsNeverFull()
    {
        Assert.Equal(LoadState.Ok, LoadRule.Evaluate(new WanReading(100e6, null, 79e6, 0, null), CompareMode.Combined, 0.8, 0.95).State);
        Assert.Equal(LoadState.Overloaded, LoadRule.Evaluate(new WanReading(100e6, null, 96e6, 0, null), CompareMode.Combined, 0.8, 0.95).State);
    }

    [Theory]
    [InlineData(120e6, 10e6, "rx")] // rx over its capacity
    [InlineData(50e6, 25e6, "tx")] // tx over, rx under: the upload is to blame
    [InlineData(120e6, 25e6, "both")]
    public void PerDirection_NamesTheDirectionThatIsOver(double rx, double tx, string over)
    {
        var load = LoadRule.Evaluate(new WanReading(100e6, 20e6, rx, tx, null), CompareMode.PerDirection, 1.0);

        Assert.Equal((LoadState.Overloaded, over), (load.State, load.Over.Name()));
    }

    [Fact]
    public void Combined_NamesTheDirectionWithTheLargerShare_AndNoneWhenNotOver()
    {
        var upload = LoadRule.Evaluate(new WanReading(20e6, null, 0.2e6, 47.8e6, null), CompareMode.Combined, 1.0);
        var idle = LoadRule.Evaluate(new WanReading(20e6, null, 1e6, 1e6, null), CompareMode.Combined, 1.0);

        Assert.Equal(OverDirection.Tx, upload.Over); // the case: an upload overloading a WAN probed for download only
        Assert.Equal(OverDirection.None, idle.Over);
        Assert.Null(idle.Over.Name());
    }

    [Fact]
    public void Culprits_TheOverDirectionFirst_WithTheirShare()
    {
        var reading = new WanReading(20e6, null, 0.2e6, 48e6, null);
        var culprits = IncidentTracker.Culprits(OverDirection.Tx, [new IpRate("10.91.1.10", 0.157e6)], [new IpRate("10.91.1.11", 47.8e6, "backup.lab")], reading);

        Assert.Equal(["10.91.1.11 tx", "10.91.1.10 rx"], culprits.Select(c => $"{c.Ip} {c.Direction}"));
        Assert.Equal(47.8 / 48, culprits[0].Share, 6);
        Assert.Equal("backup.lab", culprits[0].Name);
        Assert.Equal(0.785, culprits[1].Share, 6);
    }
}
