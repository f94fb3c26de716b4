using RoutingFlow.Capture.Analysis;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Testing.Pcap;

namespace RoutingFlow.Capture.Tests.Pipeline;

public sealed class ConsumerListTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-consumers-").FullName;

    [Fact]
    public void Count_FeedsEveryConsumerTheSameDecodedFrames_AndPublishesOnceAtTheEnd()
    {
        var pcap = Path.Combine(_dir, "synthetic.pcap");
        SyntheticTraffic.WritePcap(pcap, SyntheticTraffic.Ethernet, packets: 5_000, flows: 300, seed: 4);
        var (first, second) = (new Recorder(), new Recorder());

        var count = OfflineAnalyzer.Count(pcap, 65_536, others: [first, second]);

        Assert.Equal(5_000, first.Packets);
        Assert.Equal(first.Fingerprint, second.Fingerprint);
        Assert.Equal(count.Accountant.Counters.Bytes, first.Bytes);
        Assert.Equal([count.LastMicros], first.Publications);
        Assert.Equal(3, count.Consumers.Count);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class Recorder : IPacketConsumer
    {
        public long Packets { get; private set; }

        public long Bytes { get; private set; }

        public long Fingerprint { get; private set; }

        public List<long> Publications { get; } = [];

        public void Consume(ReadOnlySpan<CapturedPacket> batch)
        {
            foreach (ref readonly var item in batch)
            {
                Packets++;
                Bytes += item.Packet.WireLength;
                Fingerprint = (Fingerprint * 31) + item.Packet.Transport.Sequence + item.TimestampMicros;
            }
        }

        public void Publish(in PublishTime time) => Publications.Add(time.WallMicros);
    }
}
