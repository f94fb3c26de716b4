using RoutingFlow.Capture.Probing;

namespace RoutingFlow.Capture.Tests.Probing;

public class WireOverheadTests
{
    [Theory]
    [InlineData(1448u, false, true, 1514.0 / 1448)] // IPv4 on Ethernet, timestamps: a 1514-byte frame per 1448 payload bytes
    [InlineData(1460u, false, false, 1514.0 / 1460)]
    [InlineData(1428u, true, true, 1514.0 / 1428)] // IPv6: 20 more header bytes
    [InlineData(0u, false, true, 1.0)] // unknown MSS: unchanged
    public void Factor_IsFrameBytesPerPayloadByte(uint mss, bool ipv6, bool timestamps, double expected) =>
        Assert.Equal(expected, WireOverhead.Factor(mss, ipv6, timestamps), 12);

    [Fact]
    public void Of_TakesTheMssOfTheDirectionThatCarriedTheData()
    {
        var info = new TcpInfo(1, SndMss: 1448, RcvMss: 1200, default, default, default, 0, 0, null, null, null, null, null, null, null);

        Assert.Equal((1266.0 / 1200, 1200u), WireOverhead.Of(info, ipv6: false, receiving: true));
        Assert.Equal((1514.0 / 1448, 1448u), WireOverhead.Of(info, ipv6: false, receiving: false));
    }

    [Fact]
    public void Of_WithoutTcpInfo_AssumesAStandardEthernetPath()
    {
        Assert.Equal((1514.0 / 1448, 1448u), WireOverhead.Of(null, ipv6: false, receiving: true));
        Assert.Equal((1514.0 / 1428, 1428u), WireOverhead.Of(null, ipv6: true, receiving: true));
        var noMss = new TcpInfo(1, 0, 0, default, default, default, 0, 0, null, null, null, null, null, null, null);
        Assert.Equal((1514.0 / 1448, 1448u), WireOverhead.Of(noMss, ipv6: false, receiving: true));
    }
}
