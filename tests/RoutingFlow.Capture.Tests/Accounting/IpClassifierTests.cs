using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Capture.Tests.Accounting;

public class IpClassifierTests
{
    private static readonly NicMap Map = new(["wan0", "wan1"], "wan0", [new MappingEntry(IpNetwork.Parse("10.0.0.7/32"), "wan1", "static")], 1);

    private static IpAddr Ip(string text) => IpAddr.TryParse(text, out var ip) ? ip : throw new FormatException(text);

    [Fact]
    public void Classify_LocalAddress_GetsItsMappedWan()
    {
        var classifier = new IpClassifier(new NetworkSet([IpNetwork.Parse("10.0.0.0/8")]));

        classifier.Classify(Ip("10.0.0.7"), Map, out var local, out var nic);
        classifier.Classify(Ip("8.8.8.8"), Map, out var remote, out var remoteNic);

        Assert.True(local);
        Assert.Equal(1, nic);
        Assert.False(remote);
        Assert.Equal(TrafficKey.NoNic, remoteNic);
    }

    [Fact]
    public void SetLocalNetworks_NewInterfaceAddress_IsLocalAtOnce()
    {
        var classifier = new IpClassifier(new NetworkSet([IpNetwork.Parse("10.0.0.0/8")]));
        classifier.Classify(Ip("203.0.113.9"), Map, out var before, out _);

        classifier.SetLocalNetworks(new NetworkSet([IpNetwork.Parse("10.0.0.0/8"), IpNetwork.Parse("203.0.113.9/32")]));
        classifier.Classify(Ip("203.0.113.9"), Map, out var after, out var nic);

        Assert.False(before);
        Assert.True(after);
        Assert.Equal(0, nic);
    }

    [Fact]
    public void Classify_MappingVersionChanges_MovesTheAddress()
    {
        var classifier = new IpClassifier(new NetworkSet([IpNetwork.Parse("10.0.0.0/8")]));
        classifier.Classify(Ip("10.0.0.7"), Map, out _, out var first);

        classifier.Classify(Ip("10.0.0.7"), Map.WithEntries([new MappingEntry(IpNetwork.Parse("10.0.0.0/24"), "wan0", "url")]), out _, out var second);

        Assert.Equal(1, first);
        Assert.Equal(0, second);
    }
}
