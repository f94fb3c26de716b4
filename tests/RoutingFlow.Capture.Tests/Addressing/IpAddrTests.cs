using System.Net;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Tests.Addressing;

public class IpAddrTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("10.0.0.1")]
    [InlineData("192.168.50.11")]
    [InlineData("1.22.133.4")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("fd50::11")]
    public void ToString_FormatsAsIPAddressDoes(string text)
    {
        var address = IPAddress.Parse(text);

        Assert.Equal(address.ToString(), IpAddr.FromIPAddress(address).ToString());
    }
}
