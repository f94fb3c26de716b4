using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Tests.Addressing;

public class IpNetworkTests
{
    [Theory]
    [InlineData("192.168.1.0/24", "192.168.1.77", true)]
    [InlineData("192.168.1.0/24", "192.168.2.1", false)]
    [InlineData("10.0.0.5", "10.0.0.5", true)]
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    [InlineData("fc00::/7", "fd12::1", true)]
    [InlineData("fc00::/7", "fe80::1", false)]
    [InlineData("2001:db8::/64", "2001:db8::ffff:1", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.0.0.1", false)]
    public void Contains_MatchesPrefix(string cidr, string ip, bool expected)
    {
        Assert.True(IpAddr.TryParse(ip, out var address));
        Assert.Equal(expected, IpNetwork.Parse(cidr).Contains(address));
    }

    [Theory]
    [InlineData("10.0.0.1/8", "host bits")]
    [InlineData("10.0.0.0/33", "prefix length")]
    [InlineData("banana", "not an IP")]
    [InlineData("", "empty")]
    public void TryParse_Invalid_ExplainsWhy(string text, string reason)
    {
        Assert.False(IpNetwork.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void PrefixMatcher_PicksLongestPrefix()
    {
        var matcher = new PrefixMatcher<string>(
        [
            KeyValuePair.Create(IpNetwork.Parse("10.0.0.0/8"), "a"),
            KeyValuePair.Create(IpNetwork.Parse("10.1.0.0/16"), "b"),
            KeyValuePair.Create(IpNetwork.Parse("10.1.2.3/32"), "c"),
            KeyValuePair.Create(IpNetwork.Parse("fd00::/8"), "v6"),
        ]);

        Assert.Equal("c", Match(matcher, "10.1.2.3"));
        Assert.Equal("b", Match(matcher, "10.1.2.4"));
        Assert.Equal("a", Match(matcher, "10.2.0.1"));
        Assert.Equal("v6", Match(matcher, "fd00::9"));
        Assert.Null(Match(matcher, "11.0.0.1"));
    }

    [Fact]
    public void PrefixMatcher_NetworkListedTwice_KeepsTheLastValue()
    {
        var matcher = new PrefixMatcher<string>(
        [
            KeyValuePair.Create(IpNetwork.Parse("10.1.0.0/16"), "first"),
            KeyValuePair.Create(IpNetwork.Parse("10.1.0.0/16"), "last"),
        ]);

        Assert.Equal("last", Match(matcher, "10.1.9.9"));
        Assert.True(matcher.TryMatch(IpAddr.FromIPAddress(System.Net.IPAddress.Parse("10.1.9.9")), out _, out var network));
        Assert.Equal(IpNetwork.Parse("10.1.0.0/16"), network);
    }

    [Fact]
    public void PrefixMatcher_ThousandsOfRules_AgreesWithALinearScan()
    {
        var random = new Random(7);
        var rules = Enumerable.Range(0, 3_000).Select(i =>
        {
            var length = random.Next(33);
            var address = IpAddr.FromV4((uint)random.NextInt64(1L << 32)).Mask(length);
            return KeyValuePair.Create(new IpNetwork(address, length), i);
        }).ToList();
        var matcher = new PrefixMatcher<int>(rules);

        for (var probe = 0; probe < 20_000; probe++)
        {
            var ip = IpAddr.FromV4((uint)random.NextInt64(1L << 32));
            if (probe % 2 == 0) // half the probes inside a rule, so that long prefixes get hit too
                ip = IpAddr.FromV4((uint)(rules[random.Next(rules.Count)].Key.Network.Lo | (uint)random.Next(256)));
            var expected = rules.Where(r => r.Key.Contains(ip)).OrderByDescending(r => r.Key.PrefixLength).ThenByDescending(r => r.Value)
                .Select(r => (int?)r.Value).FirstOrDefault();
            Assert.Equal(expected, matcher.TryMatch(ip, out var value) ? value : null);
        }
    }

    [Fact]
    public void IpAddr_RoundTripsAndOrdersV4BeforeV6()
    {
        Assert.True(IpAddr.TryParse("2001:db8::1", out var v6));
        Assert.True(IpAddr.TryParse("192.0.2.1", out var v4));
        Assert.Equal("2001:db8::1", v6.ToString());
        Assert.Equal("192.0.2.1", v4.ToString());
        Assert.True(v4 < v6);
        Assert.NotEqual(v4.Hash64(), v6.Hash64());
    }

    private static string? Match(PrefixMatcher<string> matcher, string ip)
    {
        Assert.True(IpAddr.TryParse(ip, out var address));
        return matcher.TryMatch(address, out var value) ? value : null;
    }
}
