using BenchmarkDotNet.Attributes;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Capture.Tcp;
using RoutingFlow.Testing.Pcap;

namespace RoutingFlow.Benchmarks;

/// <summary>
/// The TCP analysis per packet over a batch of 8,192 decoded frames (2,000 flows, heavy-tailed, each flow's stream
/// advancing like a real one, a third of the frames ACKs), as a capture hands batches over. Each invocation first
/// moves every segment on by its flow's bytes in the batch (so that the streams keep advancing instead of
/// repeating: <see cref="AdvanceOnly"/> is that cost alone), then analyses the batch. Mean is time per packet,
/// Allocated bytes per packet (the goal is 0 B).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class TcpAnalysisBenchmarks
{
    private const int Frames = 8_192;
    private const int Flows = 2_000;
    private CapturedPacket[] _batch = [];
    private uint[] _advance = [];
    private TcpAnalyzer _tcp = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        var sequence = new uint[Flows];
        _batch = new CapturedPacket[Frames];
        var flowOf = new int[Frames];
        for (var i = 0; i < Frames; i++)
        {
            var flow = Math.Min(Flows - 1, (int)Math.Exp(random.NextDouble() * Math.Log(Flows)));
            var reply = random.Next(3) == 0;
            var payload = reply ? 0 : 40 + (flow * 31 % 1400);
            var ip = SyntheticTraffic.Packet(flow, random, sequence[flow] + 1, payload, reply);
            sequence[flow] += (uint)payload;
            var frame = SyntheticTraffic.Frame(SyntheticTraffic.Ethernet, ip, flow);
            _batch[i].TimestampMicros = i;
            PacketDecoder.Decode(LinkType.Ethernet, frame.AsSpan(0, Math.Min(frame.Length, 128)), frame.Length, out _batch[i].Packet);
            flowOf[i] = flow;
        }
        _advance = flowOf.Select(f => sequence[f]).ToArray();
        _tcp = new TcpAnalyzer(new TcpAnalysisOptions());
        for (var round = 0; round < 3; round++)
            Analyze();
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public void AdvanceOnly() => Advance();

    [Benchmark(OperationsPerInvoke = Frames)]
    public void Analyze()
    {
        Advance();
        _tcp.Consume(_batch);
    }

    private void Advance()
    {
        for (var i = 0; i < _batch.Length; i++)
        {
            ref var t = ref _batch[i].Packet.Transport;
            t = t with { Sequence = t.Sequence + _advance[i], Acknowledgment = t.Acknowledgment + _advance[i] };
            _batch[i].TimestampMicros += Frames;
        }
    }
}
