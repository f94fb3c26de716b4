using System.Globalization;
using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Capture.Analysis;

/// <summary>
/// Reads a whole capture file and counts every IP endpoint (tshark's <c>endpoints,ip</c>/<c>endpoints,ipv6</c>
/// semantics), then marks local addresses and their WAN. A file cut short is analysed up to the cut, with a warning.
/// </summary>
public sealed class OfflineAnalyzer(NetworkSet localNetworks, NicMap map, int maxEndpoints = 262_144)
{
    public AnalysisReport Analyze(string path)
    {
        using var file = CaptureFile.Open(path);
        var linkType = file.LinkType;
        var accountant = new EndpointAccountant(maxEndpoints);
        var warnings = new List<string>();
        long first = 0, last = 0;
        var batch = new PacketBatch(linkType);
        while (true)
        {
            var result = PcapBatchReader.Fill(file.Device, batch);
            var packets = batch.Packets;
            if (packets.Length > 0)
            {
                if (accountant.Counters.Packets == 0)
                    first = packets[0].TimestampMicros;
                last = packets[^1].TimestampMicros;
                accountant.Account(packets);
            }
            if (result == PcapReadResult.Error)
                warnings.Add($"file cut short or damaged after {accountant.Counters.Packets} packets: {file.LastError}; analysed up to there");
            if (result is PcapReadResult.Error or PcapReadResult.EndOfFile)
                break;
        }
        AddWarnings(linkType, accountant, warnings);
        return BuildReport(path, linkType, accountant, first, last, warnings);
    }

    private static void AddWarnings(int linkType, EndpointAccountant accountant, List<string> warnings)
    {
        if (!LinkType.IsSupported(linkType))
            warnings.Add($"link type {LinkType.Name(linkType)} is not supported; no packet was decoded");
        if (accountant.Table.Overflows > 0)
            warnings.Add($"{accountant.Table.Overflows} endpoint updates dropped: more than {accountant.Table.MaxEntries} endpoints (raise --max-endpoints)");
    }

    private AnalysisReport BuildReport(string path, int linkType, EndpointAccountant accountant, long first, long last, List<string> warnings)
    {
        var entries = new List<TrafficEntry>(accountant.Table.Count);
        accountant.Table.CopyTo(entries);
        entries.Sort(static (a, b) => a.Counters.TotalBytes != b.Counters.TotalBytes
            ? b.Counters.TotalBytes.CompareTo(a.Counters.TotalBytes)
            : a.Key.Ip.CompareTo(b.Key.Ip));
        var rows = new EndpointRow[entries.Count];
        var rx = new long[map.Nics.Count];
        var tx = new long[map.Nics.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var (ip, c) = (entries[i].Key.Ip, entries[i].Counters);
            string? nic = null;
            var local = localNetworks.Contains(ip);
            if (local)
            {
                var index = map.Resolve(ip);
                nic = map.NameOf(index);
                if (index < rx.Length)
                {
                    rx[index] += c.RxBytes;
                    tx[index] += c.TxBytes;
                }
            }
            rows[i] = new EndpointRow(ip.ToString(), local, nic, c.TxPackets, c.TxBytes, c.RxPackets, c.RxBytes);
        }
        var nics = map.Nics.Select((nic, i) => new NicTotals(nic, rx[i], tx[i])).ToList();
        var counters = accountant.Counters;
        var hasPackets = counters.Packets > 0;
        return new AnalysisReport(path, LinkType.Name(linkType), counters.Packets, counters.Bytes, counters.Malformed,
            counters.Truncated, hasPackets ? FormatTime(first) : null, hasPackets ? FormatTime(last) : null, rows, nics, warnings);
    }

    /// <summary>ISO 8601 UTC with microseconds, e.g. <c>2026-11-23T10:00:00.123456Z</c>.</summary>
    public static string FormatTime(long micros) =>
        DateTime.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
