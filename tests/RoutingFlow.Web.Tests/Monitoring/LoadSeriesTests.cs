using RoutingFlow.Web.Monitoring;

namespace RoutingFlow.Web.Tests.Monitoring;

public class LoadSeriesTests
{
    [Fact]
    public void Build_MakesAGapWhereTheCapacityWasUnknown_AndLeavesOutAnUnknownTxCapacity()
    {
        var points = FakeMonitor.Minutes(60);

        var series = LoadSeries.Build(points);

        Assert.Equal([LoadSeries.CapacityRx, LoadSeries.Rx, LoadSeries.Tx], series.Select(s => s.Name));
        Assert.Equal(6, series[0].Points.Count(p => p.Value is null));
        Assert.All(series[1].Points, p => Assert.NotNull(p.Value));
        Assert.Equal(["#E0E0E0", "#4FC3F7", "#FFB74D"], series.Select(s => s.Color));
        Assert.Equal([true, false, false], series.Select(s => s.Dashed)); // capacity dashed
    }

    [Fact]
    public void BuildForWan_NamesEachLineByItsWan_InTheWansColour()
    {
        var lines = LoadSeries.BuildForWan(FakeMonitor.Minutes(10), "wan1", 1);

        Assert.Equal(["wan1 capacity rx", "wan1 rx", "wan1 tx"], lines.Select(l => l.Name));
        Assert.Equal(lines[0].Color, lines[1].Color);
        Assert.NotEqual(LoadSeries.BuildForWan(FakeMonitor.Minutes(10), "wan0", 0)[1].Color, lines[1].Color);
    }

    [Fact]
    public void Build_WithATxCapacity_DrawsIt()
    {
        var points = FakeMonitor.Minutes(10).Select(p => p with { CapacityTxBps = 5e6 }).ToList();

        Assert.Equal([LoadSeries.CapacityRx, LoadSeries.CapacityTx, LoadSeries.Rx, LoadSeries.Tx], LoadSeries.Build(points).Select(s => s.Name));
    }

    [Fact]
    public void Thin_KeepsThePeakTrafficAndTheLowestCapacityOfEachRun()
    {
        var points = FakeMonitor.Minutes(900); // 15 minutes at one per second
        points[451] = points[451] with { RxBps = 99e6, CapacityRxBps = 1e6 };

        var thinned = LoadSeries.Thin(points, LoadSeries.MaxPoints);

        Assert.Equal(300, thinned.Count);
        Assert.Equal(points[0].Time, thinned[0].Time);
        Assert.Equal(99e6, thinned[150].RxBps);
        Assert.Equal(1e6, thinned[150].CapacityRxBps);
        Assert.All(thinned, p => Assert.NotNull(p.CapacityRxBps)); // one unknown in ten is not a gap at this scale
        Assert.Same(points, LoadSeries.Thin(points, 1_000));
    }
}
