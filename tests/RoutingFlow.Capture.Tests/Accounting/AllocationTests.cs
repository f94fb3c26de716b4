using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Mapping;
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
}
