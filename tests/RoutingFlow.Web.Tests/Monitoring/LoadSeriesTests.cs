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
        Assert.Equal(6, series[0].Data.Points.Count(p => !p.HasValue));
        Assert.All(series[1].Data.Points, p => Assert.True(p.HasValue));
        Assert.Equal(["#E0E0E0", "#4FC3F7", "#FFB74D"], LoadSeries.Palette(series));
    }

    [Fact]
    public void Build_WithATxCapacity_DrawsIt()
    {
        var points = FakeMonitor.Minutes(10).Select(p => p with { CapacityTxBps = 5e6 }).ToList();

        Assert.Equal([LoadSeries.CapacityRx, LoadSeries.CapacityTx, LoadSeries.Rx, LoadSeries.Tx], LoadSeries.Build(points).Select(s => s.Name));
    }

    [Theory]
    [InlineData(60, 10)]
    [InlineData(900, 300)]
    [InlineData(3600, 900)]
    [InlineData(86_400, 21_600)]
    public void LabelSpacing_GivesAboutFiveLabels(int seconds, int expected) =>
        Assert.Equal(TimeSpan.FromSeconds(expected), LoadSeries.LabelSpacing(TimeSpan.FromSeconds(seconds)));

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
