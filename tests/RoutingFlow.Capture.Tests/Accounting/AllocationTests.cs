using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Testing.Pcap;

namespace RoutingFlow.Capture.Tests.Accounting;

/// <summary>The per-packet path allocates nothing (BenchmarkDotNet measures the same in tests/RoutingFlow.Benchmarks).</summary>
public class AllocationTests
{
    private static byte[][] Frames()
    {
        var random = new Random(5);
        return Enumerable.Range(0, 20_000).Select(i => SyntheticTraffic.Frame(SyntheticTraffic.Ethernet, SyntheticTraffic.Packet(i % 2_000, random), i % 2_000)).ToArray();
    }

    [Fact]
    public void DecodeAndAccount_WarmTables_AllocateZeroBytesPerPacket()
    {
        var frames = Frames();
        var map = new NicMap(["wan0", "wan1"], "wan0", [new MappingEntry(IpNetwork.Parse("10.1.0.0/24"), "wan1", "static")], 1);
        var wan = new WanAccountant(CaptureRole.Lan, TrafficKey.NoNic,
            new IpClassifier(new NetworkSet(CaptureOptions.DefaultLocalNetworks.Select(IpNetwork.Parse))), new NicMapHolder(map), 65_536);
        var endpoints = new EndpointAccountant(65_536);
        foreach (var frame in frames)
        {
            wan.Account(LinkType.Ethernet, frame, frame.Length, 1);
            endpoints.Account(LinkType.Ethernet, frame, frame.Length, 1); // warm: the offline table has grown
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 10; round++)
        {
            foreach (var frame in frames)
            {
                PacketDecoder.Decode(LinkType.Ethernet, frame, frame.Length, out _);
                wan.Account(LinkType.Ethernet, frame, frame.Length, 2);
                endpoints.Account(LinkType.Ethernet, frame, frame.Length, 2);
            }
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void AccountBatches_WarmTables_AllocateZeroBytes()
    {
        var batch = Frames().Select((frame, i) =>
        {
            var item = new CapturedPacket { TimestampMicros = i };
            PacketDecoder.Decode(LinkType.Ethernet, frame, frame.Length, out item.Packet);
            return item;
        }).ToArray();
        var map = new NicMap(["wan0", "wan1"], "wan0", [], 1);
        var wan = new WanAccountant(CaptureRole.Lan, TrafficKey.NoNic,
            new IpClassifier(new NetworkSet(CaptureOptions.DefaultLocalNetworks.Select(IpNetwork.Parse))), new NicMapHolder(map), 65_536);
        var endpoints = new EndpointAccountant(65_536);
        var consumers = new ConsumerList([wan, endpoints]); // as a capture session and analyze feed them
        consumers.Consume(batch);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 10; round++)
            consumers.Consume(batch);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void PcapBatchReader_ReadingAFile_AllocatesZeroBytesPerBatch()
    {
        var dir = Directory.CreateTempSubdirectory("rf-alloc-").FullName;
        try
        {
            var pcap = Path.Combine(dir, "frames.pcap");
            SyntheticTraffic.WritePcap(pcap, SyntheticTraffic.Ethernet, packets: 50_000, flows: 500, snapLength: 128);
            using var file = CaptureFile.Open(pcap);
            var batch = new PacketBatch(file.LinkType);
            PcapBatchReader.Fill(file.Device, batch); // warm: first call into libpcap and the callback
            long frames = batch.Count;

            var before = GC.GetAllocatedBytesForCurrentThread();
            while (PcapBatchReader.Fill(file.Device, batch) == PcapReadResult.Packet)
                frames += batch.Count;
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(50_000, frames);
            Assert.Equal(0, allocated);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
