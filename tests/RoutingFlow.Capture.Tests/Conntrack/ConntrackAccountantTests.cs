using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Conntrack;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Testing.Conntrack;

namespace RoutingFlow.Capture.Tests.Conntrack;

public sealed class ConntrackAccountantTests
{
    private static readonly ConntrackTuple Original = CtnetlinkMessages.Tuple("192.168.50.10", "192.0.2.100", 43210, 5201);
    private static readonly ConntrackTuple Reply = CtnetlinkMessages.Tuple("192.0.2.100", "203.0.113.2", 5201, 43210);
    private static readonly ConntrackEntry OnWan1 = new(Original, Reply, 0, 1, AttributionSource.Nat);

    [Fact]
    public void Add_CountersGrowBetweenReads_TheGrowthIsTheHostsOnItsWan_WithAnEthernetHeaderPerPacket()
    {
        var accountant = Accountant();
        accountant.Add(Counters(10, 1000, 20, 30_000), OnWan1, 1); // the first read: a baseline, not traffic
        accountant.Publish(new PublishTime(1, 1));
        accountant.Add(Counters(15, 1500, 30, 45_000), OnWan1, 2);
        accountant.Add(Counters(15, 1500, 40, 60_000, destroy: true), OnWan1, 3); // the last bytes, then gone
        accountant.Publish(new PublishTime(3, 3));

        Assert.True(accountant.Table.TryGet(new TrafficKey(Ip("192.168.50.10"), 1), out var host));
        Assert.Equal((5L, 500L + (5 * 14), 20L, 30_000L + (20 * 14)), (host.TxPackets, host.TxBytes, host.RxPackets, host.RxBytes));
        Assert.Equal(0, accountant.Connections);
        Assert.Equal(25, accountant.Latest!.Attribution.Of(1, AttributionSource.Nat));
    }

    [Fact]
    public void Add_BetweenTwoLocalAddresses_IsNoWansTraffic()
    {
        var accountant = Accountant();
        accountant.Publish(new PublishTime(1, 1));
        var local = CtnetlinkMessages.Tuple("192.168.50.10", "192.168.50.1", 1000, 53, 17);
        accountant.Add(Counters(1, 60, 1, 120, local), new ConntrackEntry(local, local.Reverse(), 0, byte.MaxValue, AttributionSource.Map), 2);
        accountant.Publish(new PublishTime(2, 2));

        Assert.Equal(0, accountant.Table.Count);
    }

    private static ConntrackAccountant Accountant() => new(new IpClassifier(new NetworkSet([IpNetwork.Parse("192.168.0.0/16")])),
        new NicMapHolder(new NicMap(["wan0", "wan1"], "wan0", [], 1)), new RouterInterfacesHolder(), 1024);

    private static ConntrackMessage Counters(ulong op, ulong ob, ulong rp, ulong rb, ConntrackTuple? original = null, bool destroy = false) => new()
    {
        Kind = destroy ? ConntrackEventKind.Destroy : ConntrackEventKind.Update,
        Original = original ?? Original,
        Reply = original?.Reverse() ?? Reply,
        HasCounters = true,
        OriginalPackets = op,
        OriginalBytes = ob,
        ReplyPackets = rp,
        ReplyBytes = rb,
    };

    private static IpAddr Ip(string text) => IpAddr.TryParse(text, out var ip) ? ip : throw new ArgumentException(text);
}
