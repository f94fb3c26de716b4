using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Analysis;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Testing.Frames;
using RoutingFlow.Testing.Oracles;
using RoutingFlow.Testing.Pcap;

namespace RoutingFlow.Capture.Tests.Analysis;

/// <summary>The offline analysis must agree exactly with tshark's endpoint statistics, address by address.</summary>
public sealed class OfflineAnalyzerTsharkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-analyze-").FullName;

    public static OfflineAnalyzer Analyzer() => new(
        new NetworkSet(CaptureOptions.DefaultLocalNetworks.Select(IpNetwork.Parse)),
        new NicMap(["wan0", "wan1"], "wan0", [new MappingEntry(IpNetwork.Parse("10.1.0.0/24"), "wan1", "static")], 1));

    // Snap lengths 90 (Ethernet) and 84 (SLL2) keep every IP header, extension headers included, and cut TCP/UDP
    // headers and payloads. tshark drops an IPv6 frame whose extension headers are cut (its tap runs after them);
    // RoutingFlow still accounts it from the intact fixed header (see PacketDecoderDamageTests).
    [Theory]
    [InlineData(SyntheticTraffic.Ethernet, 262_144)]
    [InlineData(SyntheticTraffic.Ethernet, 90)]
    [InlineData(SyntheticTraffic.LinuxSll, 262_144)]
    [InlineData(SyntheticTraffic.LinuxSll2, 262_144)]
    [InlineData(SyntheticTraffic.LinuxSll2, 84)]
    [InlineData(SyntheticTraffic.Raw, 262_144)]
    public async Task Analyze_SyntheticCapture_AgreesWithTshark(int linkType, int snapLength)
    {
        var pcap = Path.Combine(_dir, $"synthetic-{linkType}-{snapLength}.pcap");
        SyntheticTraffic.WritePcap(pcap, linkType, packets: 20_000, flows: 3_000, seed: linkType, snapLength: snapLength);

        var report = Analyzer().Analyze(pcap);
        var tshark = await TsharkEndpoints.ReadAsync(pcap);

        AssertSameEndpoints(tshark, report);
        Assert.Equal(20_000, report.Packets);
        Assert.Equal(0, report.Malformed);
        Assert.Equal(snapLength < 100, report.Truncated > 0);
    }

    [Fact]
    public async Task Analyze_Pcapng_AgreesWithTshark()
    {
        var pcap = Path.Combine(_dir, "synthetic.pcapng");
        using (var writer = new PcapNgWriter(pcap, SyntheticTraffic.Ethernet))
        {
            var random = new Random(3);
            for (var i = 0; i < 2_000; i++)
                writer.Write(SyntheticTraffic.Frame(SyntheticTraffic.Ethernet, SyntheticTraffic.Packet(i % 300, random), i % 300));
        }

        var report = Analyzer().Analyze(pcap);

        AssertSameEndpoints(await TsharkEndpoints.ReadAsync(pcap), report);
        Assert.Equal(2_000, report.Packets);
    }

    /// <summary>
    /// Frames whose IPv4 total length contradicts the frame still belong to their addresses, as in tshark; a total
    /// length of 0 is a segmentation-offload frame sized by the frame. One deliberate difference: tshark drops a frame
    /// whose total length is shorter than its own header (it stops before its tap), RoutingFlow counts its wire bytes
    /// so that the table's totals add up to the capture's.
    /// </summary>
    [Fact]
    public async Task Analyze_FramesWithContradictingLengths_AreAttributedToTheirAddresses()
    {
        var pcap = Path.Combine(_dir, "lengths.pcap");
        using (var writer = new PcapWriter(pcap, SyntheticTraffic.Raw))
        {
            writer.Write(RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Udp, RawIp.Udp(1, 2)));
            writer.Write(RawIp.Ipv4("10.0.0.3", "10.0.0.4", IpProtocol.Udp, RawIp.Udp(1, 2), totalLength: 500));
            writer.Write(RawIp.Ipv4("10.0.0.7", "10.0.0.8", IpProtocol.Tcp, RawIp.Tcp(1, 2, payload: 3000), totalLength: 0));
            writer.Write(RawIp.Ipv4("10.0.0.5", "10.0.0.6", IpProtocol.Udp, RawIp.Udp(1, 2), totalLength: 12));
        }

        var report = Analyzer().Analyze(pcap);
        var tshark = await TsharkEndpoints.ReadAsync(pcap);

        Assert.Equal(2, report.Malformed);
        Assert.Equal(report.Bytes, report.Ips.Sum(r => r.TxBytes));
        Assert.False(tshark.ContainsKey("10.0.0.5"));
        tshark["10.0.0.5"] = new EndpointStats(1, 28, 0, 0);
        tshark["10.0.0.6"] = new EndpointStats(0, 0, 1, 28);
        AssertSameEndpoints(tshark, report);
    }

    [Fact]
    public void Analyze_LocalAddresses_CarryTheirWan()
    {
        var pcap = Path.Combine(_dir, "nic.pcap");
        SyntheticTraffic.WritePcap(pcap, SyntheticTraffic.Ethernet, packets: 2_000, flows: 600);

        var report = Analyzer().Analyze(pcap);

        Assert.All(report.Ips.Where(r => r.Ip.ToString().StartsWith("10.1.0.", StringComparison.Ordinal)), r => Assert.Equal("wan1", r.Nic));
        Assert.All(report.Ips.Where(r => r.Ip.ToString().StartsWith("10.1.1.", StringComparison.Ordinal)), r => Assert.Equal("wan0", r.Nic));
        Assert.All(report.Ips.Where(r => r.Ip.ToString().StartsWith("2001:db8", StringComparison.Ordinal)), r => Assert.Null(r.Nic));
        Assert.Equal(report.Ips.Where(r => r.Nic == "wan1").Sum(r => r.RxBytes), report.Nics.Single(n => n.Nic == "wan1").RxBytes);
        Assert.Equal(report.Ips.OrderByDescending(r => r.TxBytes + r.RxBytes).Select(r => r.TxBytes + r.RxBytes), report.Ips.Select(r => r.TxBytes + r.RxBytes));
    }

    [Fact]
    public void Count_WithProgress_ReportsDoneOnceWithEveryPacketAndTheWholeFile()
    {
        var pcap = Path.Combine(_dir, "progress.pcap");
        SyntheticTraffic.WritePcap(pcap, SyntheticTraffic.Ethernet, packets: 3_000, flows: 50);
        var reports = new List<CountProgress>();

        var count = OfflineAnalyzer.Count(pcap, 1_000, new SynchronousProgress(reports.Add));

        var done = Assert.Single(reports, r => r.Done);
        Assert.Equal(3_000, done.Packets);
        Assert.Equal(new FileInfo(pcap).Length, done.FileBytes);
        Assert.Equal(1.0, done.Fraction);
        Assert.Equal(3_000, count.Accountant.Counters.Packets);
    }

    [Fact]
    public void CaptureFile_Position_GrowsAsFramesAreRead()
    {
        var pcap = Path.Combine(_dir, "position.pcap");
        SyntheticTraffic.WritePcap(pcap, SyntheticTraffic.Ethernet, packets: 3_000, flows: 50);
        using var file = CaptureFile.Open(pcap);
        var batch = new PacketBatch(file.LinkType, capacity: 100);

        var before = file.Position;
        PcapBatchReader.Fill(file.Device, batch);
        var after = file.Position;

        Assert.InRange(before, 24, 1 << 20); // past the file header, within the first buffer
        Assert.True(after >= before, $"{after} < {before}");
        while (PcapBatchReader.Fill(file.Device, batch) == PcapReadResult.Packet)
        {
        }
        Assert.Equal(new FileInfo(pcap).Length, file.Position);
    }

    /// <summary>Calls back on the reporting thread (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<CountProgress> report) : IProgress<CountProgress>
    {
        public void Report(CountProgress value) => report(value);
    }

    [Fact]
    public void Analyze_FileCutMidRecord_AnalysesUpToTheCutWithWarning()
    {
        var pcap = Path.Combine(_dir, "cut.pcap");
        SyntheticTraffic.WritePcap(pcap, SyntheticTraffic.Ethernet, packets: 1_000, flows: 50);
        using (var stream = File.OpenWrite(pcap))
            stream.SetLength(stream.Length - 30);

        var report = Analyzer().Analyze(pcap);

        Assert.InRange(report.Packets, 990, 999);
        Assert.Contains(report.Warnings, w => w.Contains("cut short", StringComparison.Ordinal));
    }

    private static void AssertSameEndpoints(Dictionary<string, EndpointStats> tshark, AnalysisReport report)
    {
        var ours = report.Ips.ToDictionary(r => r.Ip.ToString(), r => new EndpointStats(r.TxPackets, r.TxBytes, r.RxPackets, r.RxBytes));
        Assert.NotEmpty(tshark);
        var missing = tshark.Keys.Except(ours.Keys).Take(5).ToList();
        var extra = ours.Keys.Except(tshark.Keys).Take(5).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0, $"only tshark: {string.Join(", ", missing)}; only ours: {string.Join(", ", extra)}");
        var different = tshark.Where(kv => ours[kv.Key] != kv.Value).Take(5)
            .Select(kv => $"{kv.Key}: tshark {kv.Value}, ours {ours[kv.Key]}").ToList();
        Assert.True(different.Count == 0, string.Join("; ", different));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
