using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Capture.Tcp;
using RoutingFlow.Testing.Pcap;

namespace RoutingFlow.Capture.Tests.Tcp;

/// <summary>The analysis allocates nothing per packet in steady state, and a flow costs at most 256 bytes at a million flows.</summary>
[Collection(Probing.MeasuringCollection.Name)] // it measures the process heap: nothing else may allocate meanwhile
public class TcpAllocationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Consume_WarmTable_AllocatesZeroBytes()
    {
        var random = new Random(7);
        var batch = Enumerable.Range(0, 4_096).Select(i =>
        {
            var flow = random.Next(2_000);
            var frame = SyntheticTraffic.Frame(SyntheticTraffic.Ethernet, SyntheticTraffic.Packet(flow, random), flow);
            var item = new CapturedPacket { TimestampMicros = i };
            PacketDecoder.Decode(LinkType.Ethernet, frame, frame.Length, out item.Packet);
            return item;
        }).ToArray();
        var tcp = new TcpAnalyzer(new TcpAnalysisOptions());
        tcp.Consume(batch);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 20; round++)
            tcp.Consume(batch);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(tcp.Counters.TcpPackets > 20_000);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void AMillionConcurrentFlows_TakeAtMost256BytesEach()
    {
        const int flows = 1_048_576;
        var tcp = new TcpAnalyzer(new TcpAnalysisOptions());
        var batch = new CapturedPacket[1];
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < flows; i++)
        {
            batch[0] = Segment((uint)i);
            tcp.Consume(batch);
        }
        var after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.Equal(flows, tcp.Flows.Count);
        Assert.Equal(0, tcp.Counters.FlowEvictions);
        var perFlow = (after - before) / (double)flows;
        output.WriteLine($"{perFlow:F1} bytes per flow on the heap; TcpFlow {System.Runtime.CompilerServices.Unsafe.SizeOf<TcpFlow>()} B + 4 B bucket");
        Assert.True(perFlow <= 256, $"{perFlow:F1} bytes per flow");
        Assert.True(tcp.Flows.AllocatedBytes / (double)flows <= 256, $"{tcp.Flows.AllocatedBytes / (double)flows:F1} bytes per flow allocated");
    }

    /// <summary>A data segment of flow <paramref name="n"/>: 10.x.y.z:1000 to 192.0.2.1:80, decoded in place.</summary>
    private static CapturedPacket Segment(uint n)
    {
        var packet = new CapturedPacket { TimestampMicros = n };
        packet.Packet.HasIp = packet.Packet.HasTransport = true;
        packet.Packet.WireLength = 1500;
        packet.Packet.Ip = new IpHeader(RoutingFlow.Capture.Addressing.IpAddr.FromV4(0x0A000000 | n), RoutingFlow.Capture.Addressing.IpAddr.FromV4(0xC0000201),
            IpProtocol.Tcp, 20, 1480, false, 64);
        packet.Packet.Transport = new TransportHeader(1000, 80, n, 1, TcpFlags.Ack, 1000, 20, 1460);
        packet.Packet.TcpOptions = TcpOptions.None;
        return packet;
    }
}
