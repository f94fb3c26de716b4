using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Capture.Tests.Sources;

/// <summary>libpcap's 32-bit counts widened to 64 bits: they wrap after ~6 hours at 200,000 frames/s.</summary>
public class PcapCounterTests
{
    [Fact]
    public void Add_AcrossAWrap_KeepsCounting()
    {
        var counter = new LiveCapture.PcapCounter();

        Assert.Equal(4_294_967_000L, counter.Add(4_294_967_000));
        Assert.Equal(4_294_967_396L, counter.Add(100)); // 296 up to the wrap, then 100
        Assert.Equal(4_294_967_396L + uint.MaxValue - 100, counter.Add(uint.MaxValue)); // and on towards the next
    }

    [Fact]
    public void Add_SameValue_AddsNothing()
    {
        var counter = new LiveCapture.PcapCounter();
        counter.Add(5);

        Assert.Equal(5, counter.Add(5));
    }
}
