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
}
