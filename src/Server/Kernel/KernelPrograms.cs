using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Connections;
using RoutingFlow.Capture.Kernel;

namespace RoutingFlow.Server.Kernel;

/// <summary>
/// The one instance of the kernel counting programs in the process (<c>Capture:Backend</c> <c>ebpf</c>, or
/// <c>auto</c> where they load), shared by the attached devices (connection counters) and the WAN/LAN captures
/// (per-host accounting): loaded on first use (a filter a killed run left on any interface removed), a device's
/// roles combined on its one filter, every call under one lock. A load failure is kept with its fix, never thrown.
/// </summary>
public sealed partial class KernelPrograms(CaptureOptions capture, ConnectionOptions connections, ILogger<KernelPrograms> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, KernelCounting> _roles = [];
    private BpfCounters? _counters;
    private bool _started;

    /// <summary><c>off</c> (pcap or conntrack), <c>running</c>, or <c>failed</c> (with <see cref="Error"/> and <see cref="Fix"/>).</summary>
    public string State { get; private set; } = "off";

    public string? Error { get; private set; }

    public string? Fix { get; private set; }

    /// <summary>True when the kernel counts (loaded); under <c>ebpf</c> a failed load still means no libpcap fallback (<see cref="Wanted"/>).</summary>
    public bool Running => _counters is not null;

    /// <summary>True when the backend asks for the kernel: under <c>ebpf</c>, even after a failed load (nothing falls back).</summary>
    public bool Wanted => Running || capture.Backend == CaptureOptions.BackendEbpf;

    public int MaxConnections => connections.MaxEntries;

    /// <summary>Loads the programs once, when the backend wants them.</summary>
    public void Start(IEnumerable<int> interfaces)
    {
        lock (_gate)
        {
            if (_started || !capture.WantsKernelCounters)
                return;
            _started = true;
            try
            {
                var counters = BpfCounters.Load(BpfCounters.DefaultObjectPath, connections.MaxEntries, capture.MaxTrackedIps);
                foreach (var ifindex in interfaces)
                {
                    if (BpfCounters.RemoveStaleFilters(ifindex))
                        LogStale(logger, ifindex);
                }
                (_counters, State) = (counters, "running");
                LogLoaded(logger, connections.MaxEntries, capture.MaxTrackedIps);
            }
            catch (KernelBackendException e)
            {
                (State, Error, Fix) = ("failed", e.Message, e.Fix);
                LogFailed(logger, e.Message, e.Fix, capture.Backend == CaptureOptions.BackendAuto ? "libpcap counts instead" : "nothing is counted in the kernel");
            }
        }
    }

    /// <summary>Adds <paramref name="roles"/> to what the kernel counts on the device; the error (with its fix) when it cannot.</summary>
    public string? Attach(int ifindex, bool veth, int networkOffset, KernelCounting roles)
    {
        lock (_gate)
        {
            if (_counters is null)
                return $"the eBPF backend failed to load: {Error} ({Fix})";
            try
            {
                _counters.Attach(ifindex, veth, networkOffset, roles | _roles.GetValueOrDefault(ifindex));
                _roles[ifindex] = roles | _roles.GetValueOrDefault(ifindex);
                return null;
            }
            catch (KernelBackendException e)
            {
                return $"{e.Message} ({e.Fix})";
            }
        }
    }

    /// <summary>Stops counting <paramref name="roles"/> on the device; with none left, the programs are detached from it.</summary>
    public void Release(int ifindex, KernelCounting roles)
    {
        lock (_gate)
        {
            if (_counters is null || !_roles.TryGetValue(ifindex, out var had))
                return;
            var left = had & ~roles;
            if (left == KernelCounting.None)
            {
                _counters.Detach(ifindex);
                _roles.Remove(ifindex);
                return;
            }
            _roles[ifindex] = left;
            _counters.Reconfigure(ifindex, left);
        }
    }

    /// <summary>The local networks every per-host count tests its addresses against.</summary>
    public void SetLocalNetworks(IEnumerable<IpNetwork> networks)
    {
        lock (_gate)
            _counters?.SetLocalNetworks(networks);
    }

    public void ReadConnections(List<ConnectionEntry> into, DateTimeOffset now)
    {
        lock (_gate)
            _counters?.ReadConnections(into, now);
    }

    public void ReadHosts(List<KernelHostCount> into)
    {
        lock (_gate)
            _counters?.ReadHosts(into);
    }

    /// <summary>The connection map at its last read (entries, the kernel's evictions since load); zero when not running.</summary>
    public MapFill ConnectionFill
    {
        get
        {
            lock (_gate)
                return _counters?.ConnectionFill ?? default;
        }
    }

    /// <summary>The host map at its last read, as <see cref="ConnectionFill"/>.</summary>
    public MapFill HostFill
    {
        get
        {
            lock (_gate)
                return _counters?.HostFill ?? default;
        }
    }

    public int MaxHosts => capture.MaxTrackedIps;

    /// <summary>The connection entries the kernel evicted on the device since it was attached.</summary>
    public long ConnectionEvictions(int ifindex)
    {
        lock (_gate)
            return _counters?.ConnectionEvictions(ifindex) ?? 0;
    }

    public DeviceTotals Totals(int ifindex)
    {
        lock (_gate)
            return _counters?.Totals(ifindex) ?? default;
    }

    public void Delete(in ConnectionKey key)
    {
        lock (_gate)
            _counters?.Delete(key);
    }

    public void Reset(int ifindex)
    {
        lock (_gate)
            _counters?.Reset(ifindex);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _counters?.Dispose(); // every filter detached: no program stays attached
            _counters = null;
            _roles.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "eBPF backend loaded: the kernel counts (connection map of {MaxConnections} entries, host map of {MaxHosts})")]
    private static partial void LogLoaded(ILogger logger, int maxConnections, int maxHosts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "eBPF backend unavailable: {Error}. Fix: {Fix}. Meanwhile {Consequence}")]
    private static partial void LogFailed(ILogger logger, string error, string fix, string consequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed a counting filter a previous run left on ifindex {Ifindex}")]
    private static partial void LogStale(ILogger logger, int ifindex);
}
