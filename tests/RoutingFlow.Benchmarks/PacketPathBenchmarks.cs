using BenchmarkDotNet.Attributes;
using PacketDotNet;
using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Testing.Pcap;

namespace RoutingFlow.Benchmarks;

/// <summary>
/// The per-packet path over 8,192 synthetic frames (10,000 possible flows, heavy-tailed, mixed framing) captured
/// with the default snap length of 128 bytes, as a live capture hands them over: each operation is one frame, so
/// Mean is time per packet and Allocated is bytes per packet (the goal is 0 B). PacketDotNet's full parse is the
/// reference (it gets the whole frames, and only those it parses without throwing: it fails on a short UDP
/// datagram to port 9, taking it for Wake-on-LAN).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class PacketPathBenchmarks
{
    private const int Frames = 8_192;
    private const int SnapLength = 128;
    private byte[][] _frames = [];
    private int[] _wireLengths = [];
    private byte[][] _whole = [];
    private EndpointAccountant _endpoints = null!;
    private WanAccountant _wan = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _whole = Enumerable.Range(0, Frames).Select(_ =>
        {
            var flow = Math.Min(9_999, (int)Math.Exp(random.NextDouble() * Math.Log(10_000)));
            return SyntheticTraffic.Frame(SyntheticTraffic.Ethernet, SyntheticTraffic.Packet(flow, random), flow);
        }).ToArray();
        _frames = _whole.Select(f => f[..Math.Min(f.Length, SnapLength)]).ToArray();
        _wireLengths = _whole.Select(f => f.Length).ToArray();
        _whole = _whole.Where(ParsesWithPacketDotNet).ToArray();
        _endpoints = new EndpointAccountant(262_144);
        var map = new NicMap(["wan0", "wan1"], "wan0", [new MappingEntry(IpNetwork.Parse("10.1.0.0/24"), "wan1", "static")], 1);
        var local = new NetworkSet(CaptureOptions.DefaultLocalNetworks.Select(IpNetwork.Parse));
        _wan = new WanAccountant(CaptureRole.Lan, TrafficKey.NoNic, new IpClassifier(local), new NicMapHolder(map), 65_536);
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public int Decode()
    {
        var ok = 0;
        for (var i = 0; i < _frames.Length; i++)
            ok += PacketDecoder.Decode(LinkType.Ethernet, _frames[i], _wireLengths[i], out _) == DecodeStatus.Ok ? 1 : 0;
        return ok;
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public void DecodeAndAccountEndpoints()
    {
        for (var i = 0; i < _frames.Length; i++)
            _endpoints.Account(LinkType.Ethernet, _frames[i], _wireLengths[i], 1);
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public void DecodeAndAccountPerWan()
    {
        for (var i = 0; i < _frames.Length; i++)
            _wan.Account(LinkType.Ethernet, _frames[i], _wireLengths[i], 1);
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public int PacketDotNetParse()
    {
        var n = 0;
        for (var i = 0; i < Frames; i++)
            n += Parse(_whole[i % _whole.Length]);
        return n;
    }

#pragma warning disable RS0030 // the reference measurement is the point here
    private static int Parse(byte[] frame) =>
        Packet.ParsePacket(LinkLayers.Ethernet, frame).Extract<TransportPacket>()?.DestinationPort ?? 0;
#pragma warning restore RS0030

    private static bool ParsesWithPacketDotNet(byte[] frame)
    {
        try
        {
            Parse(frame);
            return true;
        }
        catch (IndexOutOfRangeException)
        {
            return false;
        }
    }
}
