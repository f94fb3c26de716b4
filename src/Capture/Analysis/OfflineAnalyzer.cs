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
/// Counting needs no configuration, so a caller may run <see cref="Count"/> while it loads its own and build the
/// report afterwards.
/// </summary>
public sealed class OfflineAnalyzer(NetworkSet localNetworks, NicMap map, int maxEndpoints = 262_144)
{
    public AnalysisReport Analyze(string path) => Report(Count(path, maxEndpoints));

    /// <summary>Reads and counts the file (throws <see cref="CaptureSourceException"/> when it cannot be read).</summary>
    public static EndpointCount Count(string path, int maxEndpoints)
    {
        using var file = CaptureFile.Open(path);
        var count = new EndpointCount(path, file.LinkType, new EndpointAccountant(maxEndpoints));
        var batch = new PacketBatch(file.LinkType);
        while (true)
        {
            var result = PcapBatchReader.Fill(file.Device, batch);
            count.Add(batch.Packets);
            if (result == PcapReadResult.Error)
                count.Warnings.Add($"file cut short or damaged after {count.Accountant.Counters.Packets} packets: {file.LastError}; analysed up to there");
            if (result is PcapReadResult.Error or PcapReadResult.EndOfFile)
                break;
        }
        AddWarnings(count);
        return count;
    }

    /// <summary>The report on a counted file: rows sorted by total bytes, local addresses given their WAN.</summary>
    public AnalysisReport Report(EndpointCount count) =>
        BuildReport(count.Path, count.LinkType, count.Accountant, count.FirstMicros, count.LastMicros, count.Warnings);

    private static void AddWarnings(EndpointCount count)
    {
        if (!LinkType.IsSupported(count.LinkType))
            count.Warnings.Add($"link type {LinkType.Name(count.LinkType)} is not supported; no packet was decoded");
        var table = count.Accountant.Table;
        if (table.Overflows > 0)
            count.Warnings.Add($"{table.Overflows} endpoint updates dropped: more than {table.MaxEntries} endpoints (raise --max-endpoints)");
    }

    private AnalysisReport BuildReport(string path, int linkType, EndpointAccountant accountant, long first, long last, List<string> warnings)
    {
        var list = new List<TrafficEntry>(accountant.Table.Count);
        accountant.Table.CopyTo(list);
        var entries = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list);
        entries.Sort(new ByTotalBytesThenAddress());
        var rows = new EndpointRow[entries.Length];
        // Rows (address text, local test, WAN) in parallel slices: tens of thousands of them take tens of ms.
        var parts = rows.Length < 8_192 ? 1 : Math.Min(Environment.ProcessorCount, 4);
        var rx = new long[parts, map.Nics.Count];
        var tx = new long[parts, map.Nics.Count];
        Parallel.For(0, parts, part =>
            FillRows(list, rows, part * rows.Length / parts, (part + 1) * rows.Length / parts, rx, tx, part));
        var nics = map.Nics.Select((nic, i) => new NicTotals(nic,
            Enumerable.Range(0, parts).Sum(p => rx[p, i]), Enumerable.Range(0, parts).Sum(p => tx[p, i]))).ToList();
        var counters = accountant.Counters;
        var hasPackets = counters.Packets > 0;
        return new AnalysisReport(path, LinkType.Name(linkType), counters.Packets, counters.Bytes, counters.Malformed,
            counters.Truncated, hasPackets ? FormatTime(first) : null, hasPackets ? FormatTime(last) : null, rows, nics, warnings);
    }

    private void FillRows(List<TrafficEntry> entries, EndpointRow[] rows, int from, int to, long[,] rx, long[,] tx, int part)
    {
        for (var i = from; i < to; i++)
        {
            var (ip, c) = (entries[i].Key.Ip, entries[i].Counters);
            string? nic = null;
            var local = localNetworks.Contains(ip);
            if (local)
            {
                var index = map.Resolve(ip);
                nic = map.NameOf(index);
                if (index < rx.GetLength(1))
                {
                    rx[part, index] += c.RxBytes;
                    tx[part, index] += c.TxBytes;
                }
            }
            rows[i] = new EndpointRow(ip.ToString(), local, nic, c.TxPackets, c.TxBytes, c.RxPackets, c.RxBytes);
        }
    }

    /// <summary>ISO 8601 UTC with microseconds, e.g. <c>2026-11-23T10:00:00.123456Z</c>.</summary>
    public static string FormatTime(long micros) =>
        DateTime.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Most bytes first, ties by address (a struct comparer: the sort inlines it).</summary>
    private readonly struct ByTotalBytesThenAddress : IComparer<TrafficEntry>
    {
        public int Compare(TrafficEntry a, TrafficEntry b) => a.Counters.TotalBytes != b.Counters.TotalBytes
            ? b.Counters.TotalBytes.CompareTo(a.Counters.TotalBytes)
            : a.Key.Ip.CompareTo(b.Key.Ip);
    }
}
