using RoutingFlow.Capture.Units;

namespace RoutingFlow.Capture.Tests.Units;

public class BitRateTests
{
    [Theory]
    [InlineData(0, "0 bit/s")]
    [InlineData(950, "950 bit/s")]
    [InlineData(12_345, "12.3 kbit/s")]
    [InlineData(1_250_000_000, "1.25 Gbit/s")]
    [InlineData(20_000_000, "20.0 Mbit/s")]
    [InlineData(-5, "0 bit/s")]
    public void Format_PicksTheUnit(double bps, string expected) => Assert.Equal(expected, BitRate.Format(bps));
}
