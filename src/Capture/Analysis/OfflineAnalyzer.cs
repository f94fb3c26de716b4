using System.Diagnostics;
using System.Globalization;
using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Capture.Analysis;

/// <summary>
/// Reads a whole capture file and counts every IP endpoint (tshark's <c>endpoints,ip</c>/<c>endpoints,ipv6</c>
/// semantics), then marks local addresses and their WAN. A file cut short is analysed up to the cut, with a warning.
/// Counting needs no configuration, so a caller may run <see cref="Count"/> while it loads its own and build the
/// report afterwards.
/// </summary>
public sealed class OfflineAnalyzer(NetworkSet localNetworks, NicMap map, int maxEndpoints = 262_144)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public AnalysisReport Analyze(string path) => Report(Count(path, maxEndpoints));

    /// <summary>How many flows (most loss events first) the report's TCP section lists; 0 for none.</summary>
    public int TopFlows { get; init; }

    /// <summary>
    /// Reads and counts the file (throws <see cref="CaptureSourceException"/> when it cannot be read), telling
    /// <paramref name="progress"/> how far it got about once a second and once at the end. <paramref name="others"/>
    /// get the same decoded frames as the endpoint accounting, and publish once at the end.
    /// </summary>
    public static EndpointCount Count(string path, int maxEndpoints, IProgress<CountProgress>? progress = null,
        IEnumerable<IPacketConsumer>? others = null)
    {
        // The per-frame callback compiles (~15 ms) on another core while SharpPcap opens the file (~40 ms).
        ThreadPool.UnsafeQueueUserWorkItem(_ => PcapBatchReader.Warm(), null);
        var started = Stopwatch.GetTimestamp();
        using var file = CaptureFile.Open(path);
        var analyses = (others ?? []).ToList();
        // The analyses read the frames on the other core while this thread reads, decodes and counts the next ones.
        using var pipeline = analyses.Count > 0 ? new BatchPipeline(file.LinkType, analyses) : null;
        var count = new EndpointCount(path, file.LinkType, new EndpointAccountant(maxEndpoints), analyses, othersFedElsewhere: pipeline is not null);
        var single = pipeline is null ? new PacketBatch(file.LinkType) : null;
        var nextReport = ProgressInterval;
        for (var batches = 1L; ; batches++)
        {
            var batch = pipeline?.Rent() ?? single!;
            var result = PcapBatchReader.Fill(file.Device, batch);
            count.Add(batch.Packets);
            pipeline?.Submit(batch);
            if (result == PcapReadResult.Error)
                count.Warnings.Add($"file cut short or damaged after {count.Accountant.Counters.Packets} packets: {file.LastError}; analysed up to there");
            if (result is PcapReadResult.Error or PcapReadResult.EndOfFile)
                break;
            if (progress is not null && batches % 64 == 0 && Stopwatch.GetElapsedTime(started) >= nextReport)
            {
                progress.Report(Progress(count, file, started, done: false));
                nextReport = Stopwatch.GetElapsedTime(started) + ProgressInterval; // after a stall: one line, not a burst
            }
        }
        pipeline?.Complete();
        count.Finish();
        progress?.Report(Progress(count, file, started, done: true));
        AddWarnings(count);
        return count;
    }

    private static CountProgress Progress(EndpointCount count, CaptureFile file, long started, bool done) =>
        new(count.Accountant.Counters.Packets, done ? file.Length : file.Position, file.Length, Stopwatch.GetElapsedTime(started), done);

    /// <summary>The report on a counted file: rows sorted by total bytes, local addresses given their WAN.</summary>
    /// <param name="tcp">The TCP analyzer that read the file with the count (its section of the report), if any.</param>
    /// <param name="protocols">The protocol analyzer that read the file with the count, if any.</param>
    public AnalysisReport Report(EndpointCount count, TcpAnalyzer? tcp = null, Protocols.ProtocolAnalyzer? protocols = null)
    {
        var rows = Rows(count.Accountant.Table);
        var nics = TotalsPerNic(rows);
        var counters = count.Accountant.Counters;
        var hasPackets = counters.Packets > 0;
        return new AnalysisReport(count.Path, LinkType.Name(count.LinkType), counters.Packets, counters.Bytes, counters.Malformed,
            counters.Truncated, hasPackets ? FormatTime(count.FirstMicros) : null, hasPackets ? FormatTime(count.LastMicros) : null,
            rows, nics, count.Warnings, Tcp(tcp), protocols?.Latest, protocols?.Names?.Snapshot(long.MinValue, int.MaxValue));
    }

    /// <summary>The TCP section when a <see cref="TcpAnalyzer"/> read the file, with its top <see cref="TopFlows"/> flows by loss.</summary>
    private TcpReport? Tcp(TcpAnalyzer? tcp)
    {
        if (tcp is null)
            return null;
        var c = tcp.Counters;
        var top = TopFlows > 0 ? tcp.TopFlows(TopFlows, FlowSort.Loss) : [];
        return new TcpReport(c.TcpPackets, c.GlobalTcpPackets, c.FlowsCreated, c.Missing, c.Duplicate, c.OutOfOrder, c.WindowShrink,
            c.ZeroWindow, c.KeepAlives, c.Malformed, c.FlowEvictions, tcp.GapBytes.Snapshot(), tcp.HandshakeRtt.Snapshot(),
            tcp.AckRtt.Snapshot(), top, tcp.Connections());
    }

    private static void AddWarnings(EndpointCount count)
    {
        if (!LinkType.IsSupported(count.LinkType))
            count.Warnings.Add($"link type {LinkType.Name(count.LinkType)} is not supported; no packet was decoded");
        var table = count.Accountant.Table;
        if (table.Overflows > 0)
            count.Warnings.Add($"{table.Overflows} endpoint updates dropped: more than {table.MaxEntries} endpoints (raise --max-endpoints)");
    }

    /// <summary>Every endpoint as a report row (local test and WAN once per address), most bytes first, ties by address.</summary>
    private EndpointRow[] Rows(TrafficTable table)
    {
        var rows = new EndpointRow[table.Count];
        var n = 0;
        foreach (var entry in table)
            rows[n++] = Row(entry);
        EndpointOrder.Sort(rows);
        return rows;
    }

    private EndpointRow Row(in TrafficEntry entry)
    {
        var (ip, c) = (entry.Key.Ip, entry.Counters);
        var local = localNetworks.Contains(ip);
        return new EndpointRow(ip, local, local ? map.NameOf(map.Resolve(ip)) : null, c.TxPackets, c.TxBytes, c.RxPackets, c.RxBytes);
    }

    private List<NicTotals> TotalsPerNic(EndpointRow[] rows)
    {
        var rx = new long[map.Nics.Count];
        var tx = new long[map.Nics.Count];
        foreach (var row in rows)
        {
            if (row.Nic is not null && map.IndexOf(row.Nic) is { } nic)
                (rx[nic], tx[nic]) = (rx[nic] + row.RxBytes, tx[nic] + row.TxBytes);
        }
        return map.Nics.Select((nic, i) => new NicTotals(nic, rx[i], tx[i])).ToList();
    }

    /// <summary>ISO 8601 UTC with microseconds, e.g. <c>2026-11-23T10:00:00.123456Z</c>.</summary>
    public static string FormatTime(long micros) =>
        DateTime.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
