using RoutingFlow.Server.Hosting;
using RoutingFlow.Server.Tests.Infrastructure;

namespace RoutingFlow.Server.Tests.Hosting;

public sealed class WallClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AStep_IsTheWallClocksMoveBeyondTheMonotonicOne_DriftWithinTheToleranceIsNot()
    {
        var time = new SteppedClock(T0);
        var clock = new WallClock(time);
        Assert.Equal(TimeSpan.Zero, clock.Read().Step);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, clock.Read().Step);
        time.Advance(TimeSpan.FromSeconds(1));
        time.Step(TimeSpan.FromSeconds(1)); // slewing or drift, not a step
        Assert.Equal(TimeSpan.Zero, clock.Read().Step);

        time.Advance(TimeSpan.FromSeconds(1));
        time.Step(TimeSpan.FromHours(-1));
        var back = clock.Read();
        Assert.Equal(TimeSpan.FromHours(-1), back.Step);
        Assert.Equal(T0 + TimeSpan.FromSeconds(4) - TimeSpan.FromHours(1), back.Now);

        time.Advance(TimeSpan.FromSeconds(1));
        time.Step(TimeSpan.FromDays(365 * 56)); // a router booted at 1970 getting NTP's time
        Assert.Equal(TimeSpan.FromDays(365 * 56), clock.Read().Step);
        Assert.Equal(2, clock.Steps);
    }
}
