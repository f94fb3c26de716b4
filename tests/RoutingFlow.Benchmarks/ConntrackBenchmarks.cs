using BenchmarkDotNet.Attributes;
using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Conntrack;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Testing.Frames;
using RoutingFlow.Testing.Conntrack;

namespace RoutingFlow.Benchmarks;

/// <summary>
/// Attribution through conntrack on the packet path: a <c>lan</c> capture's accounting of 65,536 decoded frames drawn
/// heavy-tailed from <see cref="Connections"/> NAT connections, with the connection lookup (per-capture cache, table
/// on a miss) against without it (<see cref="Baseline"/>: the mapping alone). Mean is per frame; the goal is 0 B.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ConntrackAttributionBenchmarks
{
    private const int Frames = 65_536;
    private CapturedPacket[] _batch = [];
    private WanAccountant _attributed = null!;
    private WanAccountant _mapped = null!;

    [Params(65_536, 1_048_576)]
    public int Connections { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var table = new ConntrackTable(Connections) { Active = true };
        var router = new RouterInterfacesHolder
        {
            Current = new RouterInterfaces(1, new Dictionary<IpAddr, byte> { [IpAddr.FromV4(0xC6336402)] = 0, [IpAddr.FromV4(0xCB007102)] = 1 }, new Dictionary<int, byte>()),
        };
        var rules = new ConnectionWanRules(router, [], null);
        for (var i = 0; i < Connections; i++)
            table.Upsert(new ConntrackMessage { Original = Lan(i), Reply = Wan(i), HasMark = true }, rules);
        var random = new Random(5);
        _batch = new CapturedPacket[Frames];
        for (var i = 0; i < Frames; i++)
        {
            var c = Math.Min(Connections - 1, (int)Math.Exp(random.NextDouble() * Math.Log(Connections)));
            var t = random.Next(2) == 0 ? Lan(c) : Lan(c).Reverse();
            var frame = FrameBuilder.Ethernet(FrameBuilder.Tcp(t.Source.ToString(), t.Destination.ToString(), t.SourcePort, t.DestinationPort, payload: 100));
            _batch[i].TimestampMicros = i;
            PacketDecoder.Decode(LinkType.Ethernet, frame, frame.Length, out _batch[i].Packet);
        }
        var map = new NicMapHolder(new NicMap(["wan0", "wan1"], "wan0", [], 1));
        NetworkSet Local() => new([IpNetwork.Parse("10.0.0.0/8")]);
        _attributed = new WanAccountant(CaptureRole.Lan, TrafficKey.NoNic, new IpClassifier(Local()), map, 1 << 20, null, new ConnectionAttribution(table, router));
        _mapped = new WanAccountant(CaptureRole.Lan, TrafficKey.NoNic, new IpClassifier(Local()), map, 1 << 20);
        _attributed.Account(_batch);
        _mapped.Account(_batch);
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public void Attributed() => _attributed.Account(_batch);

    [Benchmark(Baseline = true, OperationsPerInvoke = Frames)]
    public void Baseline() => _mapped.Account(_batch);

    /// <summary>Connection <paramref name="i"/> from a LAN host (10.x) to a server, as the LAN side sees it.</summary>
    internal static ConntrackTuple Lan(int i) => new(IpAddr.FromV4(0x0A000000u + (uint)(i >> 4)), IpAddr.FromV4(0xC0000264u + (uint)(i & 15)),
        (ushort)(10_000 + (i & 0x3FFF)), 443, 6);

    /// <summary>Its reply tuple behind MASQUERADE on wan0 or wan1.</summary>
    internal static ConntrackTuple Wan(int i)
    {
        var lan = Lan(i);
        return new ConntrackTuple(lan.Destination, IpAddr.FromV4((i & 1) == 0 ? 0xC6336402u : 0xCB007102u), 443, (ushort)(1024 + (i % 60_000)), 6);
    }
}

/// <summary>
/// The conntrack reader's work per ctnetlink message: <see cref="Parse"/> reads a datagram of 256 NEW events in place;
/// <see cref="Apply"/> parses and applies them to a table of 262,144 connections (insert, and the oldest evicted
/// once it is full), as the reader thread does. Mean is per message; messages per second on one core are 1 / Mean.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class CtnetlinkBenchmarks
{
    private const int Messages = 256;
    private byte[] _datagram = [];
    private ConntrackTable _table = null!;
    private ConnectionWanRules _rules = null!;
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        _datagram = [.. Enumerable.Range(0, Messages).SelectMany(i => CtnetlinkMessages.New(ConntrackAttributionBenchmarks.Lan(i), ConntrackAttributionBenchmarks.Wan(i), 0x100))];
        _table = new ConntrackTable(262_144);
        _rules = new ConnectionWanRules(new RouterInterfacesHolder(), [], null);
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public int Parse()
    {
        var parsed = 0;
        var offset = 0;
        while (Netlink.TryNext(_datagram, ref offset, out var header, out var payload))
        {
            if (CtnetlinkParser.TryParse(header, payload, out _))
                parsed++;
        }
        return parsed;
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public void Apply()
    {
        var shift = (_round++ & 1023) << 8; // new connections each round: inserts, then evictions once full
        var offset = 0;
        while (Netlink.TryNext(_datagram, ref offset, out var header, out var payload))
        {
            if (CtnetlinkParser.TryParse(header, payload, out var message))
            {
                message.Original = new ConntrackTuple(message.Original.Source, message.Original.Destination, message.Original.SourcePort,
                    (ushort)(message.Original.DestinationPort + shift), 6);
                _table.Upsert(message, _rules);
            }
        }
    }
}
