using RoutingFlow.Capture.Units;

namespace RoutingFlow.Capture.Tests.Units;

public class ByteSizeTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(876, "876 B")]
    [InlineData(1024, "1.00 KiB")]
    [InlineData(12_595, "12.3 KiB")]
    [InlineData(876_932_923, "836 MiB")] // the raw count
    [InlineData(1_342_177_280, "1.25 GiB")]
    [InlineData(-5, "0 B")]
    public void Format_BinaryUnits_ThreeSignificantDigits(double bytes, string expected) => Assert.Equal(expected, ByteSize.Format(bytes));
}
