using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Conntrack;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Testing.Frames;
using RoutingFlow.Testing.Conntrack;

namespace RoutingFlow.Capture.Tests.Conntrack;

/// <summary>The accounting with connection tracking, on frames as each capture sees them: the LAN side before NAT, the WAN side after.</summary>
public sealed class ConnectionAttributionTests
{
    private static readonly NicMap Map = new(["wan0", "wan1"], "wan0", [], 1);
    private static readonly ConntrackTuple Original = CtnetlinkMessages.Tuple("192.168.50.10", "192.0.2.100", 43210, 5201);
    private static readonly ConntrackTuple Reply = CtnetlinkMessages.Tuple("192.0.2.100", "203.0.113.2", 5201, 43210);

    [Fact]
    public void LanCapture_NatConnectionOnWan1_CountsBothDirectionsOnWan1_NotTheMapsWan0()
    {
        var (accountant, _) = Accountant(CaptureRole.Lan, TrafficKey.NoNic);

        var up = Feed(accountant, Frame(Original, 1000));
        var down = Feed(accountant, Frame(Original.Reverse(), 9000));

        var host = new TrafficKey(Ip("192.168.50.10"), 1);
        Assert.True(accountant.Table.TryGet(host, out var counters));
        Assert.Equal(((long)up, (long)down), (counters.TxBytes, counters.RxBytes));
        Assert.False(accountant.Table.TryGet(host with { Nic = 0 }, out _));
        accountant.Publish(new RoutingFlow.Capture.Pipeline.PublishTime(0, 0));
        Assert.Equal(2, accountant.Latest!.Attribution.Of(1, AttributionSource.Nat));
    }

    [Fact]
    public void WanCapture_PostNatFrames_AreTheLanHosts_TheRoutersOwnStayUnattributed()
    {
        var (accountant, table) = Accountant(CaptureRole.Wan, 1);
        var own = CtnetlinkMessages.Tuple("203.0.113.2", "192.0.2.100", 50000, 443);
        table.Upsert(ConntrackTableTests.Message(own, own.Reverse()), Rules());

        var up = Feed(accountant, Frame(Reply.Reverse(), 1000)); // h1's upload, source translated to wan1's address
        var down = Feed(accountant, Frame(Reply, 9000));        // the answer, to wan1's address
        var ownUp = Feed(accountant, Frame(own, 500));          // the router's own connection
        var stray = Feed(accountant, Frame(CtnetlinkMessages.Tuple("192.0.2.100", "203.0.113.2", 1, 2), 70)); // no connection

        Assert.True(accountant.Table.TryGet(new TrafficKey(Ip("192.168.50.10"), 1), out var host));
        Assert.Equal(((long)up, (long)down), (host.TxBytes, host.RxBytes));
        Assert.True(accountant.Table.TryGet(new TrafficKey(Ip("203.0.113.2"), 1), out var router));
        Assert.Equal(((long)ownUp, (long)stray), (router.TxBytes, router.RxBytes));
        accountant.Publish(new RoutingFlow.Capture.Pipeline.PublishTime(0, 0));
        var counts = accountant.Latest!.Attribution;
        Assert.Equal((2L, 2L), (counts.Of(1, AttributionSource.Nat), counts.Of(1, AttributionSource.Unattributed)));
    }

    [Fact]
    public void LanCapture_ConnectionChangesWan_TheCachedAnswerFollows()
    {
        var (accountant, table) = Accountant(CaptureRole.Lan, TrafficKey.NoNic, marks: [new MarkRule(0x100, 0xff00, 0), new MarkRule(0x200, 0xff00, 1)]);
        var v6 = CtnetlinkMessages.Tuple("fd50::10", "2001:db8:100::100", 1000, 80);
        table.Upsert(ConntrackTableTests.Message(v6, v6.Reverse(), 0x100), Rules([new MarkRule(0x100, 0xff00, 0), new MarkRule(0x200, 0xff00, 1)]));
        var first = Feed(accountant, Frame(v6, 100));

        table.Upsert(ConntrackTableTests.Message(v6, v6.Reverse(), 0x200), Rules([new MarkRule(0x100, 0xff00, 0), new MarkRule(0x200, 0xff00, 1)]));
        var second = Feed(accountant, Frame(v6, 100));

        Assert.True(accountant.Table.TryGet(new TrafficKey(Ip("fd50::10"), 0), out var before));
        Assert.True(accountant.Table.TryGet(new TrafficKey(Ip("fd50::10"), 1), out var after));
        Assert.Equal(((long)first, (long)second), (before.TxBytes, after.TxBytes));
    }

    [Fact]
    public void Rules_NatBeforeMarkBeforeRouteBeforeMap()
    {
        var routes = new FixedRoutes(ifIndex: 7);
        var rules = Rules([new MarkRule(0x100, 0xff00, 0)], routes);
        var plain = CtnetlinkMessages.Tuple("fd50::10", "2001:db8:100::100", 1, 2);

        Assert.Equal(AttributionSource.Nat, rules.Resolve(Original, Reply, 0x100, out var nat));
        Assert.Equal(AttributionSource.Mark, rules.Resolve(plain, plain.Reverse(), 0x10100, out var mark));
        Assert.Equal(AttributionSource.Route, rules.Resolve(plain, plain.Reverse(), 0x200, out var route));
        routes.IfIndex = 3; // not a WAN's interface
        Assert.Equal(AttributionSource.Map, rules.Resolve(plain, plain.Reverse(), 0x200, out var none));
        Assert.Equal(((byte)1, (byte)0, (byte)1, byte.MaxValue), (nat, mark, route, none));
    }

    /// <summary>Once connections are known, a packet's lookup (cache, generation check) allocates nothing; misses (a lock, a table lookup) neither.</summary>
    [Fact]
    public void Account_ManyConnectionsSomeUnknown_AllocatesZeroBytesPerPacket()
    {
        var (accountant, table) = Accountant(CaptureRole.Lan, TrafficKey.NoNic);
        var frames = new List<byte[]>();
        for (var i = 0; i < 4_000; i++)
        {
            var lan = CtnetlinkMessages.Tuple($"192.168.{50 + (i >> 8)}.{i & 255}", "192.0.2.100", (ushort)(10_000 + i), 443);
            if (i % 10 != 0) // a tenth are not tracked: looked up again each time
                table.Upsert(ConntrackTableTests.Message(lan, CtnetlinkMessages.Tuple("192.0.2.100", "198.51.100.2", 443, (ushort)(10_000 + i))), Rules());
            frames.Add(Frame(lan, 100));
            frames.Add(Frame(lan.Reverse(), 1000));
        }
        foreach (var frame in frames)
            Feed(accountant, frame);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 5; round++)
        {
            foreach (var frame in frames)
                accountant.Account(LinkType.Ethernet, frame, frame.Length, 2);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>
    /// The TCP analysis counts a handshake on its connection's WAN; when conntrack learns of the connection only after
    /// the SYN was seen (counted by the mapping on wan0), the flow and its attempt move to wan1 at the SYN/ACK.
    /// </summary>
    [Fact]
    public void TcpAnalyzer_ConnectionKnownOnlyAfterTheSyn_MovesTheAttemptToItsWan()
    {
        var table = new ConntrackTable(1024) { Active = true };
        var classifier = new IpClassifier(new NetworkSet([IpNetwork.Parse("192.168.0.0/16")]));
        var attribution = new WanAttribution(CaptureRole.Lan, TrafficKey.NoNic, classifier, new NicMapHolder(Map), new ConnectionAttribution(table, Holder()));
        var tcp = new RoutingFlow.Capture.Tcp.TcpAnalyzer(new TcpAnalysisOptions(), attribution);
        var syn = FrameBuilder.Ethernet(FrameBuilder.Tcp("192.168.50.10", "192.0.2.100", 43210, 5201, seq: 100, syn: true));
        var synAck = FrameBuilder.Ethernet(FrameBuilder.Tcp("192.0.2.100", "192.168.50.10", 5201, 43210, seq: 900, ack: 101, syn: true));

        Analyze(tcp, syn);
        table.Upsert(ConntrackTableTests.Message(Original, Reply), Rules()); // its NEW event, late
        Analyze(tcp, synAck);
        tcp.Publish(new RoutingFlow.Capture.Pipeline.PublishTime(1, 1));

        var perNic = tcp.Latest!.PerNic.ToDictionary(n => n.Nic, n => n.Counters);
        Assert.False(perNic.TryGetValue(0, out var wan0) && (wan0.Packets > 0 || wan0.ConnectAttempts > 0));
        Assert.Equal((2L, 1L), (perNic[1].Packets, perNic[1].ConnectAttempts));
    }

    private static void Analyze(RoutingFlow.Capture.Tcp.TcpAnalyzer tcp, byte[] frame)
    {
        var item = new CapturedPacket { TimestampMicros = 1 };
        PacketDecoder.Decode(LinkType.Ethernet, frame, frame.Length, out item.Packet);
        tcp.Consume([item]);
    }

    private static (WanAccountant, ConntrackTable) Accountant(CaptureRole role, byte wanNic, IReadOnlyList<MarkRule>? marks = null)
    {
        var table = new ConntrackTable(1024) { Active = true };
        table.Upsert(ConntrackTableTests.Message(Original, Reply), Rules(marks ?? []));
        var classifier = new IpClassifier(new NetworkSet([IpNetwork.Parse("192.168.0.0/16"), IpNetwork.Parse("fc00::/7"), IpNetwork.Parse("203.0.113.2/32")]));
        var accountant = new WanAccountant(role, wanNic, classifier, new NicMapHolder(Map), 1024, null, new ConnectionAttribution(table, Holder()));
        return (accountant, table);
    }

    private static ConnectionWanRules Rules(IReadOnlyList<MarkRule>? marks = null, IRouteLookup? routes = null) => new(Holder(), marks ?? [], routes);

    private static RouterInterfacesHolder Holder() => new()
    {
        Current = new RouterInterfaces(1, new Dictionary<IpAddr, byte> { [Ip("198.51.100.2")] = 0, [Ip("203.0.113.2")] = 1, [Ip("192.168.50.1")] = byte.MaxValue },
            new Dictionary<int, byte> { [6] = 0, [7] = 1 }),
    };

    private static IpAddr Ip(string text) => IpAddr.TryParse(text, out var ip) ? ip : throw new ArgumentException(text);

    private static byte[] Frame(ConntrackTuple t, int length) =>
        FrameBuilder.Ethernet(FrameBuilder.Tcp(t.Source.ToString(), t.Destination.ToString(), t.SourcePort, t.DestinationPort, payload: length));

    private static int Feed(WanAccountant accountant, byte[] frame)
    {
        accountant.Account(LinkType.Ethernet, frame, frame.Length, 1);
        return frame.Length;
    }

    private sealed class FixedRoutes(int ifIndex) : IRouteLookup
    {
        public int IfIndex { get; set; } = ifIndex;

        public bool TryGetOutputInterface(IpAddr source, IpAddr destination, uint mark, out int ifIndex1)
        {
            ifIndex1 = IfIndex;
            return true;
        }
    }
}
