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
        using var device = CaptureFile.Open(path);
        var linkType = (int)device.LinkType;
        var accountant = new EndpointAccountant(maxEndpoints);
        var warnings = new List<string>();
        long first = 0, last = 0;
        while (true)
        {
            var result = PcapRecordReader.Next(device, out var record);
            if (result == PcapReadResult.Error)
                warnings.Add($"file cut short or damaged after {accountant.Counters.Packets} packets: {device.LastError}; analysed up to there");
            if (result != PcapReadResult.Packet)
                break;
            if (accountant.Counters.Packets == 0)
                first = record.TimestampMicros;
            last = record.TimestampMicros;
            accountant.Account(linkType, record.Data, record.WireLength, record.TimestampMicros);
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
        var rows = entries
            .OrderByDescending(e => e.Counters.TotalBytes).ThenBy(e => e.Key.Ip)
            .Select(ToRow).ToList();
        var nics = map.Nics.Select(nic => new NicTotals(nic,
            rows.Where(r => r.Nic == nic).Sum(r => r.RxBytes),
            rows.Where(r => r.Nic == nic).Sum(r => r.TxBytes))).ToList();
        var counters = accountant.Counters;
        var hasPackets = counters.Packets > 0;
        return new AnalysisReport(path, LinkType.Name(linkType), counters.Packets, counters.Bytes, counters.Malformed,
            counters.Truncated, hasPackets ? FormatTime(first) : null, hasPackets ? FormatTime(last) : null, rows, nics, warnings);
    }

    private EndpointRow ToRow(TrafficEntry entry)
    {
        var ip = entry.Key.Ip;
        var local = localNetworks.Contains(ip);
        var c = entry.Counters;
        return new EndpointRow(ip.ToString(), local, local ? map.NameOf(map.Resolve(ip)) : null,
            c.TxPackets, c.TxBytes, c.RxPackets, c.RxBytes);
    }

    /// <summary>ISO 8601 UTC with microseconds, e.g. <c>2026-11-23T10:00:00.123456Z</c>.</summary>
    public static string FormatTime(long micros) =>
        DateTime.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
