using BenchmarkDotNet.Attributes;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Protocols;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Testing.Frames;

namespace RoutingFlow.Benchmarks;

/// <summary>
/// The protocol inspection per frame: decoding (with the TLS/HTTP read of the payload and the DNS copy) of a TLS
/// ClientHello, a TLS 1.3 ServerHello, an HTTP request, an HTTP response, a DNS answer and a bulk data segment, and
/// the same frames through a warm <see cref="ProtocolAnalyzer"/> with its name cache. One operation = one frame;
/// the goal: 0 B allocated.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ProtocolBenchmarks
{
    private byte[][] _frames = [];
    private CapturedPacket[] _batch = [];
    private ProtocolAnalyzer _analyzer = new();

    [Params("client_hello", "server_hello", "http_request", "http_response", "dns_answer", "bulk")]
    public string Frame { get; set; } = "bulk";

    [GlobalSetup]
    public void Setup()
    {
        var frame = Frame switch
        {
            "client_hello" => AppMessages.Segment("192.168.50.10", "198.51.100.5", 40000, 443, AppMessages.ClientHello("www.example.test", [0x0304, 0x0303], padding: 120)),
            "server_hello" => AppMessages.Segment("198.51.100.5", "192.168.50.10", 443, 40000, AppMessages.ServerHello(0x0304)),
            "http_request" => AppMessages.Segment("192.168.50.10", "198.51.100.5", 40001, 80, AppMessages.Text("GET /assets/app.js HTTP/1.1\r\nHost: www.example.test\r\n\r\n")),
            "http_response" => AppMessages.Segment("198.51.100.5", "192.168.50.10", 80, 40001, AppMessages.Text("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n")),
            "dns_answer" => FrameBuilder.Ip("192.0.2.53", "192.168.50.10", new PacketDotNet.UdpPacket(53, 40002)
            {
                PayloadData = DnsMessages.Answer(9, "www.example.test", ("198.51.100.5", 300), ("198.51.100.6", 300)),
            }),
            _ => AppMessages.Segment("198.51.100.5", "192.168.50.10", 443, 40000, [.. Enumerable.Range(0, 1400).Select(i => (byte)(i * 31))]),
        };
        _frames = [.. Enumerable.Repeat(frame, 256)];
        _batch = new CapturedPacket[256];
        for (var i = 0; i < _batch.Length; i++)
        {
            PacketDecoder.Decode(LinkType.Raw, _frames[i], _frames[i].Length, out _batch[i].Packet);
            _batch[i].TimestampMicros = i;
        }
        _analyzer = new ProtocolAnalyzer(names: new NameCache());
        for (var i = 0; i < 300; i++)
            _analyzer.Consume(_batch); // warm: the request tables' queues grown
    }

    [Benchmark(OperationsPerInvoke = 256)]
    public int Decode()
    {
        var sum = 0;
        for (var i = 0; i < _frames.Length; i++)
        {
            PacketDecoder.Decode(LinkType.Raw, _frames[i], _frames[i].Length, out var packet);
            sum += (int)packet.App.Kind + packet.PayloadCaptured;
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 256)]
    public void Inspect() => _analyzer.Consume(_batch);
}
