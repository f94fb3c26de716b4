using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Capture.Tests.Mapping;

public class MappingDocumentTests
{
    private static readonly string[] Nics = ["wan0", "wan1"];

    [Theory]
    [InlineData("""{"192.168.1.10":"wan1","10.0.2.0/24":"wan0"}""")]
    [InlineData("""{"mappings":[{"ip":"192.168.1.10","nic":"wan1"},{"ip":"10.0.2.0/24","nic":"wan0"}]}""")]
    [InlineData("""[{"ip":"192.168.1.10","nic":"wan1"},{"ip":"10.0.2.0/24","nic":"wan0"}]""")]
    public void TryParse_EveryAcceptedShape_GivesTheSameRules(string json)
    {
        Assert.True(MappingDocument.TryParse(json, Nics, out var entries, out var error), error);

        Assert.Equal(
            [new MappingEntry(IpNetwork.Parse("192.168.1.10/32"), "wan1", "url"), new MappingEntry(IpNetwork.Parse("10.0.2.0/24"), "wan0", "url")],
            entries);
    }

    [Theory]
    [InlineData("""{"192.168.1.10":"wan9"}""", "unknown NIC 'wan9'")]
    [InlineData("""{"300.1.1.1":"wan0"}""", "invalid IP")]
    [InlineData("""[{"ip":"10.0.0.1"}]""", "unknown NIC")]
    [InlineData("""<html>""", "invalid JSON")]
    [InlineData("""42""", "expected an object or an array")]
    public void TryParse_BadResponse_IsRejectedWithReason(string json, string expected)
    {
        Assert.False(MappingDocument.TryParse(json, Nics, out _, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void NicMap_UrlRulesWinTiesAndLongestPrefixWins()
    {
        var map = new NicMap(Nics, "wan0",
        [
            new MappingEntry(IpNetwork.Parse("192.168.1.0/24"), "wan1", "static"),
            new MappingEntry(IpNetwork.Parse("192.168.1.0/24"), "wan0", "url"),
            new MappingEntry(IpNetwork.Parse("192.168.1.7/32"), "wan1", "static"),
        ], 1);

        Assert.Equal("wan0", map.NameOf(map.Resolve(Ip("192.168.1.5"))));
        Assert.Equal("wan1", map.NameOf(map.Resolve(Ip("192.168.1.7"))));
        Assert.Equal("wan0", map.NameOf(map.Resolve(Ip("172.16.0.1"))));
    }

    private static IpAddr Ip(string text) => IpAddr.TryParse(text, out var ip) ? ip : throw new FormatException(text);
}
