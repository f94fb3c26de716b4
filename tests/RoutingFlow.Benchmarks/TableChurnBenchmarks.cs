using BenchmarkDotNet.Attributes;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Connections;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Capture.Tcp;
using RoutingFlow.Testing.Pcap;

namespace RoutingFlow.Benchmarks;

/// <summary>
/// The bounded tables at their cap, where every miss evicts the least recently active entry: the connection table
/// over 65,536 keys with room for 4,096, and the TCP analysis over 2,000 flows with room for 512. Mean is time per
/// operation (a packet), Allocated bytes per operation (the goal is 0 B). Uses only the tables' public API, so the
/// same file measures the twin tables before the generic one and the generic one after (docs/PERFORMANCE.md).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class TableChurnBenchmarks
{
    private const int Operations = 8_192;
    private ConnectionKey[] _keys = [];
    private ConnectionTable _connections = null!;
    private CapturedPacket[] _batch = [];
    private TcpAnalyzer _tcp = null!;
    private long _micros;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        _keys = [.. Enumerable.Range(0, Operations).Select(_ => new ConnectionKey(7, (ushort)random.Next(65_536), 443, ConnectionDirection.Egress, ConnectionProtocol.Tcp))];
        _connections = new ConnectionTable(4_096);
        _batch = new CapturedPacket[Operations];
        var sequence = new uint[2_000];
        for (var i = 0; i < Operations; i++)
        {
            var flow = random.Next(2_000);
            var ip = SyntheticTraffic.Packet(flow, random, sequence[flow] + 1, 100, reply: false);
            sequence[flow] += 100;
            var frame = SyntheticTraffic.Frame(SyntheticTraffic.Ethernet, ip, flow);
            _batch[i].TimestampMicros = i;
            PacketDecoder.Decode(LinkType.Ethernet, frame.AsSpan(0, Math.Min(frame.Length, 128)), frame.Length, out _batch[i].Packet);
        }
        _tcp = new TcpAnalyzer(new TcpAnalysisOptions { MaxFlows = 512 });
        Connections();
        Flows();
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void Connections()
    {
        _micros += 1 << 20;
        for (var i = 0; i < _keys.Length; i++)
            _connections.Add(_keys[i], 100, _micros + i);
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void Flows()
    {
        for (var i = 0; i < _batch.Length; i++)
            _batch[i].TimestampMicros += Operations;
        _tcp.Consume(_batch);
    }
}
