using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Tests.Addressing;

public class GlobalAddressTests
{
    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("1.1.1.1", true)]
    [InlineData("2a00:1450::1", true)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.31.0.1", false)]
    [InlineData("192.168.50.10", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("169.254.1.1", false)]
    [InlineData("198.51.100.7", false)]
    [InlineData("203.0.113.2", false)]
    [InlineData("192.0.2.100", false)]
    [InlineData("198.18.0.1", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("fd50::10", false)]
    [InlineData("fe80::1", false)]
    [InlineData("::1", false)]
    [InlineData("2001:db8:100::100", false)]
    [InlineData("2001::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("::ffff:8.8.8.8", false)]
    public void IsGlobalUnicast_FollowsTheSpecialPurposeRegistries(string address, bool global)
    {
        Assert.True(IpAddr.TryParse(address, out var ip));
        Assert.Equal(global, GlobalAddress.IsGlobalUnicast(ip));
    }
}
