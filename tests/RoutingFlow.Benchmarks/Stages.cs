using System.Diagnostics;
using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Benchmarks;

/// <summary>
/// <c>stages FILE</c>: where the time of an offline analysis goes, in process (no start-up, no report): reading
/// frame by frame, reading and decoding in batches, and batches plus endpoint accounting. Best of five runs each.
/// </summary>
internal static class Stages
{
    public static void Run(string path)
    {
        Report("pcap_next_ex, read only", path, ReadOnly);
        Report("pcap_dispatch + decode (batches)", path, (p, _) => Batches(p, null));
        Report("pcap_dispatch + decode + endpoint accounting", path, (p, _) => Batches(p, new EndpointAccountant(262_144)));
        Report("pcap_dispatch + decode + TCP analysis", path, (p, _) => Batches(p, null, tcp: new TcpAnalyzer(new TcpAnalysisOptions())));
        Report("... + endpoint accounting + TCP analysis (analyze)", path,
            (p, _) => Batches(p, new EndpointAccountant(262_144), tcp: new TcpAnalyzer(new TcpAnalysisOptions())));
        Report("pcap_dispatch + decode + WAN accounting (lan)", path, (p, _) => Batches(p, null, Live(CaptureRole.Lan)));
        Report("pcap_dispatch + decode + WAN accounting (wan)", path, (p, _) => Batches(p, null, Live(CaptureRole.Wan)));
    }

    private static void Report(string name, string path, Func<string, int, long> stage)
    {
        var best = double.MaxValue;
        long packets = 0;
        for (var run = 0; run < 5; run++)
        {
            var start = Stopwatch.GetTimestamp();
            packets = stage(path, run);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (run == 0)
                Console.Write($"(first run {seconds:F3} s) ");
            best = Math.Min(best, seconds);
        }
        Console.WriteLine($"{name,-48} {best,7:F3} s {packets / best / 1e6,6:F2} Mpps");
    }

    private static long ReadOnly(string path, int run)
    {
        using var file = CaptureFile.Open(path);
        var device = file.Device;
        long n = 0;
        while (PcapRecordReader.Next(device, out _) == PcapReadResult.Packet)
            n++;
        return n;
    }

    /// <summary>The live path's accounting as a capture on a <paramref name="role"/> interface does it (10/8 local, 10.1.0/24 on wan1).</summary>
    private static WanAccountant Live(CaptureRole role)
    {
        var local = new NetworkSet([IpNetwork.Parse("10.0.0.0/8"), IpNetwork.Parse("192.168.0.0/16")]);
        var map = new NicMap(["wan0", "wan1"], "wan0", [new MappingEntry(IpNetwork.Parse("10.1.0.0/24"), "wan1", "static")], 1);
        return new WanAccountant(role, role == CaptureRole.Wan ? (byte)0 : TrafficKey.NoNic, new IpClassifier(local), new NicMapHolder(map), 65_536);
    }

    private static long Batches(string path, EndpointAccountant? accountant, WanAccountant? live = null, TcpAnalyzer? tcp = null)
    {
        using var file = CaptureFile.Open(path);
        var device = file.Device;
        var batch = new PacketBatch((int)device.LinkType);
        long n = 0;
        while (PcapBatchReader.Fill(device, batch) == PcapReadResult.Packet)
        {
            n += batch.Count;
            accountant?.Account(batch.Packets);
            live?.Account(batch.Packets);
            tcp?.Consume(batch.Packets);
        }
        return n;
    }
}
