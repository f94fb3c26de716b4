using RoutingFlow.Capture.Probing;

namespace RoutingFlow.Capture.Tests.Probing;

public class GoodputMeterTests
{
    private const long Frequency = 1_000_000; // µs timestamps

    [Fact]
    public void GoodputBps_InitialBurst_IsDiscarded()
    {
        var meter = new GoodputMeter(Frequency, 0);
        meter.Record(10_000, 5_000_000); // a 5 MB burst in the first 10 ms (a shaper's bucket, slow start overshoot)
        for (var ms = 100; ms <= 3_000; ms += 100)
            meter.Record(ms * 1000L, 5_000_000 + (ms - 10) * 2_500L); // then 2.5 MB/s = 20 Mbit/s

        var bps = meter.GoodputBps(0.2);

        Assert.NotNull(bps);
        Assert.Equal(20e6, bps.Value, 20e6 * 0.001);
    }

    [Fact]
    public void GoodputBps_NothingDiscarded_IsTheWholeTransfer()
    {
        var meter = new GoodputMeter(Frequency, 0);
        meter.Record(1_000_000, 1_000_000);
        meter.Record(2_000_000, 3_000_000);

        Assert.Equal(12e6, meter.GoodputBps(0));
        Assert.Equal(16e6, meter.GoodputBps(0.5)); // from the 1 s sample: 2 MB in 1 s
    }

    [Fact]
    public void GoodputBps_TooLittle_IsNull()
    {
        var meter = new GoodputMeter(Frequency, 0);
        Assert.Null(meter.GoodputBps(0.2));
        meter.Record(500, 1_000); // 0.5 ms
        Assert.Null(meter.GoodputBps(0.2));
        meter.Record(2_000_000, 1_000); // nothing after the cut
        Assert.Null(meter.GoodputBps(0.2));
    }

    [Fact]
    public void Record_NeverGoesBackwards()
    {
        var meter = new GoodputMeter(Frequency, 0);
        meter.Record(1_000_000, 500);
        meter.Record(900_000, 400);

        Assert.Equal(500, meter.Bytes);
        Assert.Equal(TimeSpan.FromSeconds(1), meter.Elapsed);
    }
}
