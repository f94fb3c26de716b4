using BenchmarkDotNet.Attributes;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Connections;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Testing.Frames;

namespace RoutingFlow.Benchmarks;

/// <summary>
/// The per-connection counter of an attached device, per packet: a batch of 8,192 decoded SLL2 frames (as a cooked
/// capture of the device hands them over) over 4,000 connections, heavy-tailed, both directions. Mean is time per
/// packet, Allocated bytes per packet (the goal is 0 B).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ConnectionCounterBenchmarks
{
    private const int Frames = 8_192;
    private CapturedPacket[] _batch = [];
    private DeviceConnectionCounter _counter = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        _batch = new CapturedPacket[Frames];
        for (var i = 0; i < Frames; i++)
        {
            var connection = Math.Min(3_999, (int)Math.Exp(random.NextDouble() * Math.Log(4_000)));
            var ip = connection % 3 == 0
                ? FrameBuilder.Udp("10.0.0.1", "10.0.0.2", (ushort)(10_000 + connection), 53)
                : FrameBuilder.Tcp("10.0.0.1", "10.0.0.2", (ushort)(20_000 + connection), 443, payload: 100);
            var frame = FrameBuilder.Sll2(ip, ifIndex: 7, packetType: (byte)(random.Next(2) == 0 ? 4 : 0));
            _batch[i].TimestampMicros = i;
            PacketDecoder.Decode(LinkType.LinuxSll2, frame.AsSpan(0, Math.Min(frame.Length, 128)), frame.Length, out _batch[i].Packet);
        }
        _counter = new DeviceConnectionCounter(7, isVeth: true, new ConnectionOptions());
        _counter.Consume(_batch);
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public void Count() => _counter.Consume(_batch);
}
