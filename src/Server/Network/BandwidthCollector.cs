using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Network;
using RoutingFlow.Server.Capture;
using RoutingFlow.Server.Traffic;

namespace RoutingFlow.Server.Network;

/// <summary>
/// Every <c>Network:InterfaceScanInterval</c>: each interface's kernel counters (<c>/proc/net/dev</c>) as totals,
/// current rates and 1/5/15-minute averages; the same averages of each WAN's captured rates; and each capture's
/// coverage — the bytes it captured against its interface's counted bytes (rx + tx) over <c>Network:CoverageWindow</c>
/// (below 100% when it misses traffic: drops, a filter, offload). A failing file is reported and retried with a
/// doubling back-off. One caller at a time (the worker).
/// </summary>
public sealed class BandwidthCollector(NetworkOptions options, CaptureManager captures, TrafficState traffic, TimeProvider time)
{
    private readonly ProcFileReader _reader = new();
    private readonly NetDevTable _table = new();
    private readonly SourceState _source = new(Path.Combine(options.ProcNet, "dev"));
    private readonly Dictionary<string, (NetDevCounters Last, SlidingAverages Averages)> _interfaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SlidingAverages> _wans = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CoverageWindow> _coverage = new(StringComparer.Ordinal);
    // Each interface's counters made monotonic, kept a while after it disappears (a re-created interface counts from
    // zero again; its totals go on); at most twice MaxInterfaces, those no longer listed dropped first.
    private readonly Dictionary<string, MonotonicNetDev> _totals = new(StringComparer.Ordinal);
    private long _last;

    public BandwidthScan Scan()
    {
        var now = time.GetTimestamp();
        var seconds = _last == 0 ? 0 : (now - _last) / (double)time.TimestampFrequency;
        _last = now;
        var read = ReadCounters(now);
        var nics = traffic.Current.Wans; // one snapshot for the whole scan
        foreach (var nic in nics)
            Averages(_wans, nic.Nic).Add(seconds, nic.RxBps / 8 * seconds, nic.TxBps / 8 * seconds);
        var interfaces = read ? Interfaces(seconds) : [];
        var coverage = read ? Coverage(seconds) : [];
        var wans = nics.Select(n => new WanBandwidth(n.Nic, n.Interface, RateSet.Of(_wans[n.Nic]))).ToList();
        return new BandwidthScan(time.GetUtcNow(), interfaces, Math.Max(0, _table.Entries.Count - options.MaxInterfaces), wans, coverage,
            _source.View(now, time.TimestampFrequency));
    }

    private bool ReadCounters(long now)
    {
        if (now < _source.NextAttempt)
            return false;
        try
        {
            _source.Malformed += _table.Update(_reader.Read(_source.Path));
            _source.Succeeded();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _source.Failed(SocketCollector.Explain(_source.Path, e), now, options.InterfaceScanInterval, options.MaxRetryInterval, time.TimestampFrequency);
            return false;
        }
    }

    private List<InterfaceBandwidth> Interfaces(double seconds)
    {
        var result = new List<InterfaceBandwidth>();
        foreach (var entry in _table.Entries.OrderBy(e => e.Name, StringComparer.Ordinal).Take(options.MaxInterfaces))
        {
            var c = Monotonic(entry);
            if (_interfaces.TryGetValue(entry.Name, out var known))
                known.Averages.Add(seconds, c.RxBytes - known.Last.RxBytes, c.TxBytes - known.Last.TxBytes);
            else
                known = (c, new SlidingAverages());
            _interfaces[entry.Name] = (c, known.Averages);
            result.Add(new InterfaceBandwidth(entry.Name, c.RxBytes, c.TxBytes, c.RxPackets, c.TxPackets, c.RxErrors, c.TxErrors,
                c.RxDropped, c.TxDropped, RateSet.Of(known.Averages)));
        }
        foreach (var gone in _interfaces.Keys.Except(result.Select(r => r.Name)).ToList())
            _interfaces.Remove(gone);
        if (_totals.Count > 2 * options.MaxInterfaces)
        {
            foreach (var gone in _totals.Keys.Where(n => !_interfaces.ContainsKey(n)).Take(_totals.Count - 2 * options.MaxInterfaces).ToList())
                _totals.Remove(gone);
        }
        return result;
    }

    /// <summary>An interface's counters as monotonic totals (see <see cref="MonotonicNetDev"/>).</summary>
    private NetDevCounters Monotonic(NetDevEntry entry)
    {
        if (!_totals.TryGetValue(entry.Name, out var totals))
            _totals[entry.Name] = totals = new MonotonicNetDev();
        return totals.Read(entry.Counters);
    }

    private List<CaptureCoverage> Coverage(double seconds)
    {
        var result = new List<CaptureCoverage>();
        foreach (var session in captures.Sessions)
        {
            var counters = _table.Entries.FirstOrDefault(e => e.Name == session.Interface) is { } entry ? Monotonic(entry) : (NetDevCounters?)null; // read again: the same totals
            if (counters is not { } c || session.Latest is not { } latest)
            {
                _coverage.Remove(session.Interface);
                result.Add(new CaptureCoverage(session.Interface, session.Spec.Role.ToString().ToLowerInvariant(), null, 0, 0, 0));
                continue;
            }
            if (!_coverage.TryGetValue(session.Interface, out var window))
                _coverage[session.Interface] = window = new CoverageWindow(options.CoverageWindow);
            window.Add(seconds, latest.Decode.Bytes, c.RxBytes + c.TxBytes);
            result.Add(new CaptureCoverage(session.Interface, session.Spec.Role.ToString().ToLowerInvariant(), window.Ratio,
                window.CapturedBytes, window.InterfaceBytes, window.Seconds));
        }
        return result;
    }

    private static SlidingAverages Averages(Dictionary<string, SlidingAverages> all, string name)
    {
        if (!all.TryGetValue(name, out var averages))
            all[name] = averages = new SlidingAverages();
        return averages;
    }
}

/// <summary>A capture's bytes against its interface's over the last window: cumulative readings, differenced.</summary>
internal sealed class CoverageWindow(TimeSpan window)
{
    private readonly Queue<(double Seconds, long Captured, long Counted)> _samples = new();
    private long _lastCaptured = -1;
    private long _lastCounted;

    public long CapturedBytes => _samples.Sum(s => s.Captured);

    public long InterfaceBytes => _samples.Sum(s => s.Counted);

    public double Seconds => _samples.Sum(s => s.Seconds);

    /// <summary>Captured over counted bytes; null while the interface carried nothing in the window.</summary>
    public double? Ratio => InterfaceBytes > 0 ? (double)CapturedBytes / InterfaceBytes : null;

    public void Add(double seconds, long captured, long counted)
    {
        if (_lastCaptured >= 0 && seconds > 0)
            _samples.Enqueue((seconds, Math.Max(0, captured - _lastCaptured), Math.Max(0, counted - _lastCounted)));
        (_lastCaptured, _lastCounted) = (captured, counted);
        while (_samples.Count > 1 && Seconds - _samples.Peek().Seconds >= window.TotalSeconds)
            _samples.Dequeue();
    }
}

public sealed record BandwidthScan(DateTimeOffset At, IReadOnlyList<InterfaceBandwidth> Interfaces, int OmittedInterfaces, IReadOnlyList<WanBandwidth> Wans,
    IReadOnlyList<CaptureCoverage> Coverage, SourceView Source)
{
    public static readonly BandwidthScan Empty = new(DateTimeOffset.UnixEpoch, [], 0, [], [], new SourceView("", "pending", null, 0, null, 0));
}

public sealed record InterfaceBandwidth(string Name, long RxBytes, long TxBytes, long RxPackets, long TxPackets, long RxErrors, long TxErrors,
    long RxDropped, long TxDropped, RateSet Rates);

public sealed record WanBandwidth(string Nic, string Interface, RateSet Rates);

/// <summary>A capture's coverage: captured over counted bytes (null: nothing counted), with both figures and the seconds they cover.</summary>
public sealed record CaptureCoverage(string Interface, string Role, double? Ratio, long CapturedBytes, long InterfaceBytes, double Seconds);

public sealed record DirectionRates(double RxBps, double TxBps);

/// <summary>The rates of the last scan and averaged over the last 1, 5 and 15 minutes (over what there is when younger).</summary>
public sealed record RateSet(DirectionRates Now, DirectionRates Avg1m, DirectionRates Avg5m, DirectionRates Avg15m)
{
    public static RateSet Of(SlidingAverages averages)
    {
        static DirectionRates D((double Rx, double Tx) r) => new(r.Rx, r.Tx);
        return new RateSet(D(averages.Current), D(averages.Average(SlidingAverages.Windows[0])), D(averages.Average(SlidingAverages.Windows[1])),
            D(averages.Average(SlidingAverages.Windows[2])));
    }
}
