using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Tests.Accounting;

public class RateCalculatorTests
{
    private static readonly TrafficKey Key = new(IpAddr.FromV4(0x0A000001), 0);
    private const long Second = 1_000_000;

    private static TrafficEntry Entry(long rx, long tx) => new(Key, new TrafficCounters { RxBytes = rx, TxBytes = tx });

    [Fact]
    public void Update_KeyEvictedAndBack_CountsAgainFromThePreviousSnapshot()
    {
        var calculator = new RateCalculator(TimeSpan.FromSeconds(5));
        var other = new TrafficEntry(new TrafficKey(IpAddr.FromV4(0x0A000002), 0), new TrafficCounters { RxBytes = 1 });
        calculator.Update(0, [Entry(0, 0), other]);
        calculator.Update(1 * Second, [Entry(1_000_000, 0), other]);
        calculator.Update(2 * Second, [other]); // evicted: forgotten

        var back = calculator.Update(3 * Second, [Entry(125_000, 0), other])[0];

        Assert.Equal(1_000_000, back.RxBps, 3); // 125,000 bytes since the snapshot at 2 s, not since 0 s
    }

    [Fact]
    public void Update_LongWindow_KeepsEverySampleInside()
    {
        var calculator = new RateCalculator(TimeSpan.FromSeconds(60)); // more samples than a ring starts with
        TrafficRate rate = default;
        for (var t = 0; t <= 30; t++)
            rate = calculator.Update(t * Second, [Entry(t <= 10 ? t * 125_000 : 1_250_000, 0)])[0];

        Assert.Equal(1_250_000 * 8 / 30.0, rate.RxBps, 3); // averaged from 0 s: the window reaches back past every sample
    }

    [Fact]
    public void Update_SteadyTraffic_AveragesOverTheWindow()
    {
        var calculator = new RateCalculator(TimeSpan.FromSeconds(5));
        TrafficRate rate = default;
        for (var t = 0; t <= 10; t++)
            rate = calculator.Update(t * Second, [Entry(t * 125_000, t * 12_500)])[0];

        Assert.Equal(1_000_000, rate.RxBps, 3);
        Assert.Equal(100_000, rate.TxBps, 3);
    }

    [Fact]
    public void Update_TrafficStops_RateFallsToZeroAfterTheWindow()
    {
        var calculator = new RateCalculator(TimeSpan.FromSeconds(5));
        for (var t = 0; t <= 5; t++)
            calculator.Update(t * Second, [Entry(t * 1000, 0)]);
        var during = calculator.Update(8 * Second, [Entry(5000, 0)])[0];
        var after = calculator.Update(11 * Second, [Entry(5000, 0)])[0];

        Assert.True(during.RxBps > 0);
        Assert.Equal(0, after.RxBps);
    }

    [Fact]
    public void Update_NewKey_CountsFromThePreviousSnapshot()
    {
        var calculator = new RateCalculator(TimeSpan.FromSeconds(5));
        calculator.Update(0, []);

        var rate = calculator.Update(Second, [Entry(250_000, 0)])[0];

        Assert.Equal(2_000_000, rate.RxBps, 3);
    }

    [Fact]
    public void Update_CountersGoBackwards_StartsOverWithoutNegativeRates()
    {
        var calculator = new RateCalculator(TimeSpan.FromSeconds(5));
        calculator.Update(0, [Entry(1_000_000, 0)]);
        calculator.Update(Second, [Entry(2_000_000, 0)]);

        var rate = calculator.Update(2 * Second, [Entry(1000, 0)])[0];

        Assert.Equal(8000, rate.RxBps, 3);
    }
}
