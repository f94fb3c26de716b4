using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Network;

namespace RoutingFlow.Server.Network;

/// <summary>
/// Reads the router's own socket tables (<c>tcp</c>, <c>tcp6</c>, <c>udp</c>, <c>udp6</c>: sockets by state) and the
/// kernel's protocol counters (<c>snmp</c>, <c>netstat</c>: as totals and rates) from <c>Network:ProcNet</c>. A file
/// that is missing or unreadable is reported with its error and tried again after a back-off that doubles up to
/// <c>Network:MaxRetryInterval</c>; the other files keep being read. One caller at a time (the worker).
/// </summary>
public sealed class SocketCollector(NetworkOptions options, TimeProvider time)
{
    public static readonly string[] Tables = ["tcp", "tcp6", "udp", "udp6"];
    public static readonly string[] CounterFiles = ["snmp", "netstat"];
    private readonly ProcFileReader _reader = new();
    private readonly Dictionary<string, SourceState> _sources = Tables.Concat(CounterFiles).ToDictionary(n => n, n => new SourceState(Path.Combine(options.ProcNet, n)));
    private readonly Dictionary<string, SocketCounts> _tables = [];
    private readonly long[] _values = new long[KernelCounters.Count];
    private readonly bool[] _found = new bool[KernelCounters.Count];
    private long[]? _previousValues;
    private long _previousTimestamp;

    /// <summary>Reads every file that is due and returns what is known now.</summary>
    public SocketScan Scan()
    {
        var now = time.GetTimestamp();
        foreach (var table in Tables)
            Read(table, now, content =>
            {
                var counts = new SocketCounts();
                SocketTableParser.Count(content, ref counts);
                _tables[table] = counts;
                _sources[table].Malformed += counts.Malformed;
            });
        Array.Clear(_found);
        var countersRead = 0;
        foreach (var file in CounterFiles)
        {
            if (Read(file, now, content => _sources[file].Malformed += KernelCounters.Parse(content, _values, _found)))
                countersRead++;
        }
        return Publish(now, countersRead == CounterFiles.Length);
    }

    private SocketScan Publish(long now, bool countersComplete)
    {
        var seconds = _previousValues is null ? 0 : (now - _previousTimestamp) / (double)time.TimestampFrequency;
        var counters = new List<KernelCounterReading>();
        for (var i = 0; i < KernelCounters.Count; i++)
        {
            if (!_found[i])
                continue;
            double? rate = seconds > 0 && _previousValues is { } before && KernelCounters.Names[i] != KernelCounters.CurrentlyEstablished
                ? Math.Max(0, _values[i] - before[i]) / seconds : null;
            counters.Add(new KernelCounterReading(KernelCounters.Names[i], _values[i], rate));
        }
        if (countersComplete)
        {
            _previousValues = (long[])_values.Clone();
            _previousTimestamp = now;
        }
        var sockets = Tables.Where(_tables.ContainsKey).SelectMany(t => Sockets(t, _tables[t])).ToList();
        return new SocketScan(time.GetUtcNow(), sockets, counters, _sources.Values.Select(s => s.View(now, time.TimestampFrequency)).ToList());
    }

    private static IEnumerable<SocketStateReading> Sockets(string table, SocketCounts counts)
    {
        for (var state = 0; state < SocketStates.Count; state++)
        {
            if (counts.ByState[state] > 0)
                yield return new SocketStateReading(table, SocketStates.Name(state), counts.ByState[state]);
        }
    }

    /// <summary>Reads one file if it is due; on failure keeps its last figures out of the scan and backs off.</summary>
    private bool Read(string name, long now, ReadOnlySpanAction parse)
    {
        var source = _sources[name];
        if (now < source.NextAttempt)
            return false;
        try
        {
            parse(_reader.Read(source.Path));
            source.Succeeded();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _tables.Remove(name);
            source.Failed(Explain(source.Path, e), now, options.SocketScanInterval, options.MaxRetryInterval, time.TimestampFrequency);
            return false;
        }
    }

    internal static string Explain(string path, Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => $"{path} does not exist (IPv6 disabled, or Network:ProcNet points elsewhere)",
        UnauthorizedAccessException => $"{path} cannot be read: permission denied (run as root, or point Network:ProcNet at a readable /proc/PID/net)",
        _ => $"{path} cannot be read: {e.Message}",
    };

    private delegate void ReadOnlySpanAction(ReadOnlySpan<byte> content);
}

/// <summary>One scan: sockets by table and state, the kernel's counters (rate per second since the previous scan), and each file's state.</summary>
public sealed record SocketScan(DateTimeOffset At, IReadOnlyList<SocketStateReading> Sockets, IReadOnlyList<KernelCounterReading> Counters,
    IReadOnlyList<SourceView> Sources)
{
    public static readonly SocketScan Empty = new(DateTimeOffset.UnixEpoch, [], [], []);
}

public sealed record SocketStateReading(string Protocol, string State, long Count);

public sealed record KernelCounterReading(string Name, long Value, double? PerSecond);

/// <summary>A file read: <c>state</c> pending/ok/failing, its error, failures in a row, seconds to the next try, lines that did not parse.</summary>
public sealed record SourceView(string Path, string State, string? Error, int Failures, double? RetryInSeconds, long Malformed);

/// <summary>
/// One <c>/proc</c> file's reading state: failures in a row, its error, when to try it again (the scan interval
/// doubling per failure, up to the maximum), and its lines that did not parse.
/// </summary>
internal sealed class SourceState(string path)
{
    public string Path { get; } = path;

    public int Failures { get; private set; }

    public long NextAttempt { get; private set; }

    public string? Error { get; private set; }

    public bool Read { get; private set; }

    public long Malformed { get; set; }

    public void Succeeded()
    {
        Failures = 0;
        Error = null;
        Read = true;
        NextAttempt = 0;
    }

    public void Failed(string error, long now, TimeSpan interval, TimeSpan maxInterval, long frequency)
    {
        var backOff = TimeSpan.FromTicks(Math.Min(maxInterval.Ticks, interval.Ticks << Math.Min(Failures, 20)));
        Failures++;
        Error = error;
        NextAttempt = now + (long)(backOff.TotalSeconds * frequency);
    }

    public SourceView View(long now, long frequency) => new(Path, Error is not null ? "failing" : Read ? "ok" : "pending", Error, Failures,
        Error is null ? null : Math.Max(0, (NextAttempt - now) / (double)frequency), Malformed);
}
