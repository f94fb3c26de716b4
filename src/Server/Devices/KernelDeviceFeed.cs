using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Connections;
using RoutingFlow.Capture.Kernel;

namespace RoutingFlow.Server.Devices;

/// <summary>
/// The attached devices counted by the kernel (<c>Capture:Backend</c> <c>ebpf</c>, or <c>auto</c> where it loads):
/// the programs are loaded once at start (a filter a killed run left on any interface removed), attached to each
/// device the registry feeds here and detached from the others; once a second the maps are read (one batch read for
/// every device), idle entries removed, and each device's counter published as if it had counted the frames itself,
/// so the endpoints, metrics and pages read it unchanged. Thread-safe: the registry and the timer call it.
/// </summary>
public sealed partial class KernelDeviceFeed(CaptureOptions capture, ConnectionOptions connections, TimeProvider time, ILogger logger) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, DeviceConnectionCounter> _fed = [];
    private readonly Dictionary<int, long> _expired = [];
    private readonly List<ConnectionEntry> _entries = [];
    private BpfCounters? _counters;
    private ITimer? _timer;

    /// <summary><c>off</c> (pcap counts the devices), <c>running</c>, or <c>failed</c> (with <see cref="Error"/> and <see cref="Fix"/>).</summary>
    public string State { get; private set; } = "off";

    public string? Error { get; private set; }

    public string? Fix { get; private set; }

    /// <summary>True when the kernel counts the attached devices; false: libpcap does (<c>pcap</c>, or <c>auto</c> after a failed load).</summary>
    public bool Active => _counters is not null || (capture.Backend == CaptureOptions.BackendEbpf);

    /// <summary>Connection entries in the kernel's map at the last read, and its size.</summary>
    public int Entries { get; private set; }

    public int MaxEntries => connections.MaxEntries;

    /// <summary>Loads the programs when the backend wants them; a failure is kept (and logged) with its fix, never thrown.</summary>
    public void Start(IEnumerable<int> interfaces)
    {
        if (!capture.WantsKernelCounters)
            return;
        try
        {
            var counters = BpfCounters.Load(BpfCounters.DefaultObjectPath, connections.MaxEntries);
            foreach (var ifindex in interfaces)
            {
                if (BpfCounters.RemoveStaleFilters(ifindex))
                    LogStale(logger, ifindex);
            }
            (_counters, State) = (counters, "running");
            _timer = time.CreateTimer(_ => Publish(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            LogLoaded(logger, connections.MaxEntries);
        }
        catch (KernelBackendException e)
        {
            (State, Error, Fix) = ("failed", e.Message, e.Fix);
            LogFailed(logger, e.Message, e.Fix, capture.Backend == CaptureOptions.BackendAuto ? "the devices are counted with libpcap instead" : "the attached devices are not counted");
        }
    }

    /// <summary>Counts <paramref name="counter"/>'s device in the kernel (attached when new); the error when it cannot.</summary>
    public string? Feed(DeviceInfo device, DeviceConnectionCounter counter)
    {
        lock (_gate)
        {
            if (_counters is null)
                return $"the eBPF backend failed to load: {Error} ({Fix})";
            if (_fed.TryGetValue(device.IfIndex, out var fed) && ReferenceEquals(fed, counter))
                return null;
            try
            {
                _counters.Attach(device.IfIndex, device.IsVeth, device.LinkHeaderBytes);
                _fed[device.IfIndex] = counter;
                return null;
            }
            catch (KernelBackendException e)
            {
                return $"{e.Message} ({e.Fix})";
            }
        }
    }

    /// <summary>Detaches the programs from every device not in <paramref name="keep"/> (ifindexes).</summary>
    public void Keep(IReadOnlySet<int> keep)
    {
        lock (_gate)
        {
            foreach (var ifindex in _fed.Keys.Where(i => !keep.Contains(i)).ToList())
            {
                _counters?.Detach(ifindex);
                _fed.Remove(ifindex);
                _expired.Remove(ifindex);
            }
        }
    }

    /// <summary>Reads the maps and publishes every fed device's counter (resets asked for applied first).</summary>
    public void Publish()
    {
        lock (_gate)
        {
            if (_counters is null)
                return;
            foreach (var (ifindex, counter) in _fed)
            {
                if (counter.TakeResetRequest())
                {
                    _counters.Reset(ifindex);
                    _expired[ifindex] = 0;
                }
            }
            _entries.Clear();
            try
            {
                _counters.ReadConnections(_entries, time.GetUtcNow());
            }
            catch (KernelBackendException e)
            {
                (State, Error, Fix) = ("failed", e.Message, e.Fix);
                return;
            }
            Entries = _entries.Count;
            var cutoff = (time.GetUtcNow() - connections.IdleTimeout).ToUnixTimeMilliseconds() * 1000;
            var byDevice = new Dictionary<int, List<ConnectionEntry>>();
            foreach (var entry in _entries)
            {
                if (!_fed.ContainsKey(entry.Key.DeviceId))
                    continue;
                if (entry.LastActiveMicros < cutoff)
                {
                    _counters.Delete(entry.Key);
                    _expired[entry.Key.DeviceId] = _expired.GetValueOrDefault(entry.Key.DeviceId) + 1;
                    continue;
                }
                if (!byDevice.TryGetValue(entry.Key.DeviceId, out var list))
                    byDevice[entry.Key.DeviceId] = list = [];
                list.Add(entry);
            }
            foreach (var (ifindex, counter) in _fed)
                counter.PublishCounted(_counters.Totals(ifindex), byDevice.GetValueOrDefault(ifindex) ?? [], 0, _expired.GetValueOrDefault(ifindex));
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            _counters?.Dispose(); // every filter detached: no program stays attached
            _counters = null;
            _fed.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "eBPF backend loaded: attached devices are counted in the kernel (connection map of {MaxEntries} entries)")]
    private static partial void LogLoaded(ILogger logger, int maxEntries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "eBPF backend unavailable: {Error}. Fix: {Fix}. Meanwhile {Consequence}")]
    private static partial void LogFailed(ILogger logger, string error, string fix, string consequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed a counting filter a previous run left on ifindex {Ifindex}")]
    private static partial void LogStale(ILogger logger, int ifindex);
}
