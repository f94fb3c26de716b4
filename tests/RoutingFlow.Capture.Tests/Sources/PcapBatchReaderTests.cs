using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Testing.Pcap;

namespace RoutingFlow.Capture.Tests.Sources;

/// <summary>Batches filled through libpcap's callback hold exactly what decoding each frame on its own gives.</summary>
public sealed class PcapBatchReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-batch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Warm_ThenFill_ReadsEveryFrame()
    {
        var (pcap, frames) = Write(600, snapLength: 96);
        var warming = Task.Run(PcapBatchReader.Warm); // as analyze does, beside the file being opened
        using var file = CaptureFile.Open(pcap);
        var batch = new PacketBatch(file.LinkType);
        await warming;

        var read = 0;
        while (PcapBatchReader.Fill(file.Device, batch) == PcapReadResult.Packet)
            read += batch.Count;

        Assert.Equal(frames.Count, read);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(PacketBatch.DefaultCapacity)]
    public void Fill_EveryFrameOnceInOrder_DecodedAsAlone(int capacity)
    {
        var (pcap, frames) = Write(1_000, snapLength: 96);
        using var file = CaptureFile.Open(pcap);
        var batch = new PacketBatch(file.LinkType, capacity);
        var read = new List<CapturedPacket>();

        PcapReadResult result;
        while ((result = PcapBatchReader.Fill(file.Device, batch)) == PcapReadResult.Packet)
        {
            Assert.InRange(batch.Count, 1, capacity);
            read.AddRange(batch.Packets.ToArray());
        }

        Assert.Equal(PcapReadResult.EndOfFile, result);
        Assert.Equal(0, batch.Count);
        Assert.Equal(frames.Count, read.Count);
        for (var i = 0; i < frames.Count; i++)
        {
            var cut = frames[i].AsSpan(0, Math.Min(96, frames[i].Length));
            PacketDecoder.Decode(LinkType.Ethernet, cut, frames[i].Length, out var alone);
            Assert.Equal(alone, read[i].Packet);
            Assert.Equal(Start + (i * 10), read[i].TimestampMicros);
        }
    }

    [Fact]
    public void Fill_FileCutMidRecord_KeepsTheFramesBeforeTheCutAndReportsError()
    {
        var (pcap, frames) = Write(100);
        using (var stream = File.OpenWrite(pcap))
            stream.SetLength(stream.Length - 10);
        using var file = CaptureFile.Open(pcap);
        var batch = new PacketBatch(file.LinkType, 64);
        var total = 0;

        PcapReadResult result;
        do
        {
            result = PcapBatchReader.Fill(file.Device, batch);
            total += batch.Count;
        }
        while (result == PcapReadResult.Packet);

        Assert.Equal(PcapReadResult.Error, result);
        Assert.Equal(frames.Count - 1, total);
        Assert.NotEmpty(file.LastError);
    }

    [Fact]
    public void EndpointAccountant_Batches_SameTableAsFrameByFrame()
    {
        var (pcap, frames) = Write(5_000);
        var byFrame = new EndpointAccountant(65_536);
        for (var i = 0; i < frames.Count; i++)
            byFrame.Account(LinkType.Ethernet, frames[i], frames[i].Length, Start + (i * 10));
        var byBatch = new EndpointAccountant(65_536);
        using var file = CaptureFile.Open(pcap);
        var batch = new PacketBatch(file.LinkType, 100);
        while (PcapBatchReader.Fill(file.Device, batch) == PcapReadResult.Packet)
            byBatch.Account(batch.Packets);

        Assert.Equal(byFrame.Counters, byBatch.Counters);
        Assert.Equal(Rows(byFrame.Table), Rows(byBatch.Table));
    }

    private const long Start = 1_700_000_000_000_000;

    private (string Path, List<byte[]> Frames) Write(int packets, int snapLength = 262_144)
    {
        var random = new Random(3);
        var frames = Enumerable.Range(0, packets)
            .Select(i => SyntheticTraffic.Frame(SyntheticTraffic.Ethernet, SyntheticTraffic.Packet(i % 300, random, reply: i % 3 == 0), i % 300))
            .ToList();
        var path = Path.Combine(_dir, $"{packets}-{snapLength}.pcap");
        using var writer = new PcapWriter(path, LinkType.Ethernet, snapLength) { TimestampMicros = Start };
        foreach (var frame in frames)
            writer.Write(frame);
        return (path, frames);
    }

    private static List<TrafficEntry> Rows(TrafficTable table)
    {
        var rows = new List<TrafficEntry>();
        table.CopyTo(rows);
        return rows.OrderBy(r => r.Key.Ip).ToList();
    }
}
