using System.Net;
using System.Text;
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

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("10.0.100.9")]
    [InlineData("2001:db8::1")]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255")]
    public void TryFormat_WritesTheSameTextAsUtf8(string text)
    {
        var address = IpAddr.FromIPAddress(IPAddress.Parse(text));
        Span<byte> utf8 = stackalloc byte[IpAddr.MaxTextLength];

        Assert.True(address.TryFormat(utf8, out var written, default, null));
        Assert.Equal(address.ToString(), Encoding.ASCII.GetString(utf8[..written]));
    }

    [Fact]
    public void TryFormat_DestinationTooShort_WritesNothing()
    {
        var address = IpAddr.FromIPAddress(IPAddress.Parse("192.168.100.200"));
        Span<byte> utf8 = stackalloc byte[14];

        Assert.False(address.TryFormat(utf8, out var written, default, null));
        Assert.Equal(0, written);
    }
}
