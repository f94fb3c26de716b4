using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Capture.Tests.Tcp;

public class SampleReservoirTests
{
    [Fact]
    public void BelowCapacity_PercentilesAreExact_NearestRank()
    {
        var reservoir = new SampleReservoir(capacity: 1000);
        for (var i = 100; i >= 1; i--)
            reservoir.Add(i);

        Assert.Equal([50, 95], reservoir.Percentiles(0.5, 0.95));
        Assert.Equal(50.5, reservoir.Mean);
    }

    [Fact]
    public void PastCapacity_TheSampleStaysUniform_AndTheMeanExact()
    {
        var reservoir = new SampleReservoir(capacity: 4096);
        for (var i = 0; i < 1_000_000; i++)
            reservoir.Add(i % 1000);

        var percentiles = reservoir.Percentiles(0.5, 0.95);
        Assert.InRange(percentiles[0]!.Value, 470, 530);
        Assert.InRange(percentiles[1]!.Value, 935, 965);
        Assert.Equal(499.5, reservoir.Mean!.Value, 6);
        Assert.Equal([null], new SampleReservoir().Percentiles(0.5));
    }

    [Fact]
    public void Add_AllocatesNothing()
    {
        var reservoir = new SampleReservoir(capacity: 64);
        reservoir.Add(1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
            reservoir.Add(i);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
