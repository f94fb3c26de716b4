using RoutingFlow.Capture.Network;

namespace RoutingFlow.Capture.Tests.Network;

public class SlidingAveragesTests
{
    [Fact]
    public void Averages_AreExactOverTheNewestSamplesCoveringTheWindow()
    {
        var averages = new SlidingAverages();
        for (var i = 0; i < 240; i++)
            averages.Add(1, 1_000, 0); // 8 kbit/s for 4 minutes
        for (var i = 0; i < 60; i++)
            averages.Add(1, 2_000, 500); // then 16 kbit/s for a minute

        Assert.Equal((16_000, 4_000), averages.Current);
        Assert.Equal((16_000, 4_000), averages.Average(TimeSpan.FromMinutes(1)));
        Assert.Equal((9_600, 800), averages.Average(TimeSpan.FromMinutes(5))); // (240·8 + 60·16) / 300
        Assert.Equal((9_600, 800), averages.Average(TimeSpan.FromMinutes(15))); // only five minutes so far
        Assert.Equal(300, averages.CoveredSeconds);
    }

    [Fact]
    public void TheRing_ForgetsTheOldest_AndIgnoresEmptyIntervals()
    {
        var averages = new SlidingAverages(capacity: 10);
        for (var i = 0; i < 10; i++)
            averages.Add(1, 1_000_000, 0);
        for (var i = 0; i < 10; i++)
            averages.Add(1, 0, 0);
        averages.Add(0, 5, 5);

        Assert.Equal((0, 0), averages.Average(TimeSpan.FromMinutes(15)));
        Assert.Equal(10, averages.CoveredSeconds);
    }
}
