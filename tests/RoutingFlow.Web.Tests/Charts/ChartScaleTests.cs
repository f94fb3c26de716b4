using RoutingFlow.Web.Charts;

namespace RoutingFlow.Web.Tests.Charts;

public class ChartScaleTests
{
    [Theory]
    [InlineData(15.7e6, 20e6, 5e6)] // not 5.24 / 10.5 / 15.7 Mbit/s: 0, 5, 10, 15, 20
    [InlineData(20.4e6, 25e6, 5e6)]
    [InlineData(8e6, 8e6, 2e6)]
    [InlineData(0.9, 1.0, 0.2)]
    [InlineData(1000, 1000, 200)]
    [InlineData(47.8e6, 50e6, 10e6)]
    [InlineData(0, 1, 0.2)] // nothing yet: a unit scale
    public void Values_AreOneTwoFiveSteps_UpToTheMax(double max, double top, double step)
    {
        var scale = ChartScale.Values(max);

        Assert.Equal(top, scale.Top, 6);
        Assert.Equal(step, scale.Step, 6);
        Assert.InRange(scale.Top / scale.Step, 1, 5.0001);
    }

    [Fact]
    public void Ticks_RunFromZeroToTheTop()
    {
        Assert.Equal([0, 5e6, 10e6, 15e6, 20e6], ChartScale.Ticks(20e6, 5e6));
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1.0], ChartScale.Ticks(1.0, 0.2));
    }

    [Theory]
    [InlineData(60, 10)]
    [InlineData(900, 300)]
    [InlineData(3600, 600)]
    [InlineData(86_400, 21_600)]
    public void TimeStep_GivesAtMostSixLabels(int seconds, int expected) =>
        Assert.Equal(TimeSpan.FromSeconds(expected), ChartScale.TimeStep(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void TimeTicks_AreOnTheClock()
    {
        var from = new DateTimeOffset(2026, 12, 3, 16, 3, 17, TimeSpan.Zero);

        var ticks = ChartScale.TimeTicks(from, from.AddHours(1));

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 16, 10, 0, TimeSpan.Zero), ticks[0]);
        Assert.All(ticks, t => Assert.Equal(0, t.Minute % 10));
        Assert.Equal("16:10", ChartScale.TimeLabel(ticks[0], TimeSpan.FromHours(1)));
        Assert.Equal("16:10:00", ChartScale.TimeLabel(ticks[0], TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void TimeLabel_IsTwentyFourHour_InTheZoneAsked()
    {
        var time = new DateTimeOffset(2026, 12, 3, 21, 30, 0, TimeSpan.Zero);
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

        Assert.Equal("21:30", ChartScale.TimeLabel(time, TimeSpan.FromHours(1)));
        Assert.Equal("06:30", ChartScale.TimeLabel(time, TimeSpan.FromHours(1), tokyo));
    }
}
