using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Buffers.Binary;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Connections;

namespace RoutingFlow.Capture.Kernel;

/// <summary>
/// The kernel counting programs (Bpf/rf_counters.bpf.c) loaded through libbpf: attached to a device's clsact ingress
/// and egress, they count each frame per connection tuple into a per-CPU LRU hash and the device's totals; this class
/// attaches and detaches devices and reads the maps (batch lookups, per-CPU copies summed). A filter keeps RoutingFlow's
/// own handle and priority, so one left by a run that was killed is found and replaced on the next attach; a clsact
/// qdisc this instance created is removed with its last filter. Not thread-safe: one owner calls it.
/// </summary>
public sealed unsafe class BpfCounters : IDisposable
{
    /// <summary>The tc filter's handle and priority: RoutingFlow's own ("RF"), so that a stale one is recognised.</summary>
    public const uint FilterHandle = 0x5246;
    public const uint FilterPriority = 0x5246;

    private const int BatchSize = 4096;
    private const int ConnectionKeySize = 12;
    private const int ConnectionValueSize = 32;
    private const int TotalsSize = 96;
    private const int HostKeySize = 24;
    private const int HostValueSize = 16;

    private readonly nint _object;
    private readonly int _ingress;
    private readonly int _egress;
    private readonly int _connections;
    private readonly int _totals;
    private readonly int _devices;
    private readonly int _hosts;
    private readonly int _local4;
    private readonly int _local6;
    private readonly int _created;
    private readonly int _cpus;
    private readonly Dictionary<(int Ifindex, bool Hosts), long> _deleted = []; // entries user space deleted, per device, since its attach
    private readonly Dictionary<(int Ifindex, bool Hosts), long> _evicted = []; // the kernel's LRU evictions per device, as last inferred
    private MapFill _connectionFill;
    private MapFill _hostFill;
    private readonly Dictionary<int, bool> _attached = []; // ifindex → this instance created its clsact qdisc
    private readonly Dictionary<int, (bool Veth, int Offset, KernelCounting Counting)> _config = [];
    private readonly HashSet<(int Ifindex, uint Point)> _attachedFilters = [];
    private readonly byte* _keys;
    private readonly byte* _values;
    private bool _disposed;

    private BpfCounters(nint bpfObject, int maxConnections, int maxHosts)
    {
        _object = bpfObject;
        MaxConnections = maxConnections;
        MaxHosts = maxHosts;
        _ingress = ProgramFd("rf_ingress");
        _egress = ProgramFd("rf_egress");
        _connections = MapFd("rf_connections");
        _totals = MapFd("rf_totals");
        _devices = MapFd("rf_devices");
        _hosts = MapFd("rf_hosts");
        _local4 = MapFd("rf_local4");
        _local6 = MapFd("rf_local6");
        _created = MapFd("rf_created");
        _cpus = LibbpfNative.PossibleCpus();
        _keys = (byte*)NativeMemory.Alloc((nuint)(BatchSize * Math.Max(ConnectionKeySize, HostKeySize)));
        _values = (byte*)NativeMemory.Alloc((nuint)(BatchSize * Math.Max(ConnectionValueSize, HostValueSize) * _cpus));
    }

    /// <summary>
    /// Where the IP header starts in a frame at the device's TC hook, by its ARPHRD type (/sys/class/net/X/type):
    /// after a 14-byte Ethernet header on Ethernet and on loopback (which carries one of zeros), at once otherwise (tun).
    /// </summary>
    public static int NetworkOffset(int arphrdType) => arphrdType is 1 or 772 ? 14 : 0;

    /// <summary>Where the build puts the object: <c>bpf/rf_counters.bpf.o</c> beside the assemblies.</summary>
    public static string DefaultObjectPath => Path.Combine(AppContext.BaseDirectory, "bpf", "rf_counters.bpf.o");

    /// <summary>The connection map's size (<c>Connections:MaxEntries</c>): beyond it the kernel evicts the least recently used.</summary>
    public int MaxConnections { get; }

    /// <summary>The host map's size (<c>Capture:MaxTrackedIps</c>).</summary>
    public int MaxHosts { get; }

    /// <summary>The connection map at its last read: entries, and the kernel's evictions since load (every device's, the detached ones' too).</summary>
    public MapFill ConnectionFill => _connectionFill;

    /// <summary>The host map at its last read, as <see cref="ConnectionFill"/>.</summary>
    public MapFill HostFill => _hostFill;

    /// <summary>The connection entries the kernel evicted for want of room on the device since it was attached (inferred at each read).</summary>
    public long ConnectionEvictions(int ifindex) => _evicted.GetValueOrDefault((ifindex, false));

    /// <summary>The host entries evicted on the device, as <see cref="ConnectionEvictions"/>.</summary>
    public long HostEvictions(int ifindex) => _evicted.GetValueOrDefault((ifindex, true));

    /// <summary>The devices attached now (ifindex).</summary>
    public IReadOnlyCollection<int> Attached => _attached.Keys;

    /// <summary>Opens and loads the object with the connection map sized to <paramref name="maxConnections"/>.</summary>
    /// <exception cref="KernelBackendException">libbpf is missing, the object is missing, or the kernel refused it: the message says which, with the fix.</exception>
    public static BpfCounters Load(string objectPath, int maxConnections, int maxHosts = 65536)
    {
        if (!LibbpfNative.Available)
            throw new KernelBackendException("libbpf (libbpf.so.1, 1.1 or later) is not installed", "apt-get install libbpf1");
        if (!File.Exists(objectPath))
            throw new KernelBackendException($"the BPF object {objectPath} does not exist", "install clang and libbpf-dev, then build again (./run.sh does both)", 2);
        nint bpfObject;
        fixed (byte* path = Utf8(objectPath))
            bpfObject = LibbpfNative.ObjectOpenFile(path, 0);
        if (bpfObject == 0)
            throw KernelBackendException.From("opening", Marshal.GetLastSystemError(), objectPath);
        try
        {
            var map = Find(bpfObject, "rf_connections", map: true);
            Check(LibbpfNative.MapSetMaxEntries(map, (uint)maxConnections), "sizing the connection map");
            Check(LibbpfNative.MapSetMaxEntries(Find(bpfObject, "rf_hosts", map: true), (uint)maxHosts), "sizing the host map");
            Check(LibbpfNative.ObjectLoad(bpfObject), "loading", "the counting programs into the kernel");
            return new BpfCounters(bpfObject, maxConnections, maxHosts);
        }
        catch
        {
            LibbpfNative.ObjectClose(bpfObject);
            throw;
        }
    }

    /// <summary>
    /// Counts the device from now on: its settings in the config map, its totals at zero, the programs on its clsact
    /// ingress and egress (a filter of a previous run replaced). <paramref name="networkOffset"/>: 14 on Ethernet,
    /// 0 without a link header.
    /// </summary>
    /// <returns>True when a stale filter of a previous run was found and replaced.</returns>
    public bool Attach(int ifindex, bool veth, int networkOffset, KernelCounting counting = KernelCounting.Connections)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var had = _config.TryGetValue(ifindex, out var before) ? before.Counting : KernelCounting.None;
        if ((counting & KernelCounting.Connections) == 0 && had != KernelCounting.None)
            veth = before.Veth; // a capture's host roles do not know the device's veth inversion: the attached device's stays
        if (had == KernelCounting.None || ((counting & KernelCounting.Connections) != 0 && (had & KernelCounting.Connections) == 0))
            ZeroTotals(ifindex); // a device's totals count from its attach (a capture reads only their growth)
        if (had == KernelCounting.None)
            ZeroCreated(ifindex);
        Configure(ifindex, veth, networkOffset, counting);
        var hook = LibbpfNative.TcHook.For(ifindex, LibbpfNative.TcIngress | LibbpfNative.TcEgress);
        int created;
        using (LibbpfNative.Mute())
            created = LibbpfNative.TcHookCreate(&hook);
        if (created < 0 && created != -17) // EEXIST: a clsact qdisc is there already (another tool's, or ours from a killed run)
        {
            Forget(ifindex);
            throw KernelBackendException.From("creating the clsact qdisc on", -created, $"ifindex {ifindex}");
        }
        _attached[ifindex] = _attached.GetValueOrDefault(ifindex) || created == 0;
        var stale = false;
        foreach (var (point, fd) in new[] { (LibbpfNative.TcIngress, _ingress), (LibbpfNative.TcEgress, _egress) })
        {
            var at = LibbpfNative.TcHook.For(ifindex, point);
            var query = LibbpfNative.TcOpts.For(FilterHandle, FilterPriority);
            using (LibbpfNative.Mute())
                stale |= LibbpfNative.TcQuery(&at, &query) == 0 && !_attachedFilters.Contains((ifindex, point));
            var opts = LibbpfNative.TcOpts.For(FilterHandle, FilterPriority);
            opts.ProgramFd = fd;
            opts.Flags = LibbpfNative.TcReplace;
            var rc = LibbpfNative.TcAttach(&at, &opts);
            if (rc < 0)
            {
                Detach(ifindex);
                throw KernelBackendException.From("attaching the counting program to", -rc, $"ifindex {ifindex}");
            }
            _attachedFilters.Add((ifindex, point));
        }
        return stale;
    }

    /// <summary>Stops counting the device: its filters removed (and the clsact qdisc, when this instance created it), its entries dropped.</summary>
    public void Detach(int ifindex)
    {
        foreach (var point in new[] { LibbpfNative.TcIngress, LibbpfNative.TcEgress })
        {
            var at = LibbpfNative.TcHook.For(ifindex, point);
            var opts = LibbpfNative.TcOpts.For(FilterHandle, FilterPriority);
            using (LibbpfNative.Mute())
                LibbpfNative.TcDetach(&at, &opts); // gone with its interface, or never attached: nothing to do
            _attachedFilters.Remove((ifindex, point));
        }
        _config.Remove(ifindex);
        if (_attached.Remove(ifindex, out var owned) && owned)
        {
            var hook = LibbpfNative.TcHook.For(ifindex, LibbpfNative.TcIngress | LibbpfNative.TcEgress);
            LibbpfNative.TcHookDestroy(&hook);
        }
        Forget(ifindex);
    }

    /// <summary>
    /// Counts only <paramref name="counting"/> on an attached device from now on (a WAN capture's interface that was
    /// also attached as a device, detached as one): the roles dropped lose their entries.
    /// </summary>
    public void Reconfigure(int ifindex, KernelCounting counting)
    {
        if (!_config.TryGetValue(ifindex, out var config))
            return;
        Configure(ifindex, config.Veth, config.Offset, counting);
        var dropped = config.Counting & ~counting;
        if ((dropped & KernelCounting.Connections) != 0)
            DeleteConnections(ifindex);
        if ((dropped & (KernelCounting.WanHosts | KernelCounting.LanHosts)) != 0)
            Deleted(ifindex, hosts: true, DeleteOf(_hosts, HostKeySize, ifindex));
    }

    private void Deleted(int ifindex, bool hosts, long count) =>
        _deleted[(ifindex, hosts)] = _deleted.GetValueOrDefault((ifindex, hosts)) + count;

    private void Configure(int ifindex, bool veth, int networkOffset, KernelCounting counting)
    {
        var device = (Flags: (veth ? 1u : 0u) | (uint)counting, Offset: (uint)networkOffset);
        var key = (uint)ifindex;
        Check(LibbpfNative.MapUpdate(_devices, &key, &device, 0), "configuring", $"ifindex {ifindex}");
        _config[ifindex] = (veth, networkOffset, counting);
    }

    /// <summary>Removes RoutingFlow's filters from a device this instance never attached (left by a run that was killed); true when there were any.</summary>
    public static bool RemoveStaleFilters(int ifindex)
    {
        if (!LibbpfNative.Available)
            return false;
        var removed = false;
        foreach (var point in new[] { LibbpfNative.TcIngress, LibbpfNative.TcEgress })
        {
            var at = LibbpfNative.TcHook.For(ifindex, point);
            var opts = LibbpfNative.TcOpts.For(FilterHandle, FilterPriority);
            using (LibbpfNative.Mute())
                removed |= LibbpfNative.TcDetach(&at, &opts) == 0;
        }
        return removed;
    }

    /// <summary>The device's totals since it was attached (or reset), the per-CPU copies summed.</summary>
    public DeviceTotals Totals(int ifindex)
    {
        var key = (uint)ifindex;
        var values = stackalloc byte[TotalsSize * _cpus];
        if (LibbpfNative.MapLookup(_totals, &key, values) < 0)
            return default;
        var sum = stackalloc long[TotalsSize / 8];
        for (var cpu = 0; cpu < _cpus; cpu++)
        {
            var copy = (long*)(values + cpu * TotalsSize);
            for (var i = 0; i < TotalsSize / 8; i++)
                sum[i] += copy[i];
        }
        return *(DeviceTotals*)sum;
    }

    /// <summary>
    /// Every connection entry (all devices), the per-CPU copies summed, its last activity converted from the
    /// kernel's monotonic clock to wall-clock microseconds.
    /// </summary>
    public void ReadConnections(List<ConnectionEntry> into, DateTimeOffset wallNow)
    {
        var monoNow = MonotonicNanoseconds();
        var wallMicros = wallNow.ToUnixTimeMilliseconds() * 1000;
        var created = CreatedNow(hosts: false);
        var first = into.Count;
        ReadAll(_connections, "the connection map", i => into.Add(Entry(i, monoNow, wallMicros)));
        var live = new Dictionary<int, int>();
        for (var i = first; i < into.Count; i++)
            live[into[i].Key.DeviceId] = live.GetValueOrDefault(into[i].Key.DeviceId) + 1;
        _connectionFill = Infer(created, live, hosts: false, into.Count - first, _connectionFill);
    }

    /// <summary>
    /// The kernel counts no LRU eviction: per device, evicted = created − deleted by user space − still there. The
    /// creations are read before the map, so an entry made during the read can only make the figure low for a second,
    /// never high; each figure only grows.
    /// </summary>
    private MapFill Infer(Dictionary<int, long> created, Dictionary<int, int> live, bool hosts, int entries, MapFill before)
    {
        var grew = 0L;
        foreach (var (ifindex, made) in created)
        {
            var key = (ifindex, hosts);
            var now = made - _deleted.GetValueOrDefault(key) - live.GetValueOrDefault(ifindex);
            var was = _evicted.GetValueOrDefault(key);
            if (now > was)
            {
                _evicted[key] = now;
                grew += now - was;
            }
        }
        return new MapFill(entries, before.Evictions + grew);
    }

    /// <summary>Each attached device's creation count, the per-CPU copies summed.</summary>
    private Dictionary<int, long> CreatedNow(bool hosts)
    {
        var result = new Dictionary<int, long>(_config.Count);
        var values = stackalloc ulong[2 * _cpus];
        foreach (var ifindex in _config.Keys)
        {
            var key = (uint)ifindex;
            if (LibbpfNative.MapLookup(_created, &key, values) < 0)
                continue;
            var sum = 0L;
            for (var cpu = 0; cpu < _cpus; cpu++)
                sum += (long)values[cpu * 2 + (hosts ? 1 : 0)];
            result[ifindex] = sum;
        }
        return result;
    }

    private void ZeroCreated(int ifindex)
    {
        var key = (uint)ifindex;
        var zero = stackalloc ulong[2 * _cpus];
        new Span<ulong>(zero, 2 * _cpus).Clear();
        Check(LibbpfNative.MapUpdate(_created, &key, zero, 0), "configuring", $"ifindex {ifindex}'s creation counts");
        foreach (var hosts in new[] { false, true })
        {
            _deleted.Remove((ifindex, hosts));
            _evicted.Remove((ifindex, hosts));
        }
    }

    /// <summary>Every entry of a per-CPU map, a batch of keys and values at a time (<c>bpf_map_lookup_batch</c>); <paramref name="each"/> takes the i-th of a batch.</summary>
    private void ReadAll(int map, string what, Action<int> each)
    {
        ulong inBatch = 0, outBatch = 0;
        var first = true;
        while (true)
        {
            var count = (uint)BatchSize;
            var rc = LibbpfNative.MapLookupBatch(map, first ? null : &inBatch, &outBatch, _keys, _values, &count, null);
            if (rc < 0 && rc != -2)
                throw KernelBackendException.From("reading", -rc, what);
            for (var i = 0; i < count; i++)
                each(i);
            if (rc == -2 || count == 0)
                return; // ENOENT: the last batch
            (inBatch, first) = (outBatch, false);
        }
    }

    /// <summary>Removes one connection entry (an idle one: the kernel's LRU map never expires entries itself).</summary>
    public void Delete(in ConnectionKey key)
    {
        var raw = stackalloc byte[ConnectionKeySize];
        new Span<byte>(raw, ConnectionKeySize).Clear();
        *(uint*)raw = (uint)key.DeviceId;
        *(ushort*)(raw + 4) = key.SourcePort;
        *(ushort*)(raw + 6) = key.DestinationPort;
        raw[8] = (byte)key.Direction;
        raw[9] = (byte)key.Protocol;
        if (LibbpfNative.MapDelete(_connections, raw) == 0)
            Deleted(key.DeviceId, hosts: false, 1);
    }

    /// <summary>The local networks (<c>Capture:LocalNetworks</c> and the capture interfaces' own): a host inside one is accounted.</summary>
    public void SetLocalNetworks(IEnumerable<IpNetwork> networks)
    {
        byte present = 1;
        var key = stackalloc byte[20];
        foreach (var network in networks)
        {
            new Span<byte>(key, 20).Clear();
            *(uint*)key = (uint)network.PrefixLength;
            var address = new Span<byte>(key + 4, 16);
            if (network.Network.IsV6)
            {
                BinaryPrimitives.WriteUInt64BigEndian(address, network.Network.Hi);
                BinaryPrimitives.WriteUInt64BigEndian(address[8..], network.Network.Lo);
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(address, (uint)network.Network.Lo);
            }
            Check(LibbpfNative.MapUpdate(network.Network.IsV6 ? _local6 : _local4, key, &present, 0), "configuring", $"the local network {network}");
        }
    }

    /// <summary>Every local host's counters (cumulative since it was first counted), the per-CPU copies summed.</summary>
    public void ReadHosts(List<KernelHostCount> into)
    {
        var created = CreatedNow(hosts: true);
        var first = into.Count;
        ReadAll(_hosts, "the host map", i => into.Add(Host(i)));
        var live = new Dictionary<int, int>();
        for (var i = first; i < into.Count; i++)
            live[into[i].Ifindex] = live.GetValueOrDefault(into[i].Ifindex) + 1;
        _hostFill = Infer(created, live, hosts: true, into.Count - first, _hostFill);
    }

    private KernelHostCount Host(int index)
    {
        var k = _keys + index * HostKeySize;
        var bytes = new ReadOnlySpan<byte>(k + 8, 16);
        var address = k[5] == 6 ? IpAddr.ReadV6(bytes) : IpAddr.ReadV4(bytes);
        long packets = 0, total = 0;
        var v = (ulong*)(_values + (long)index * HostValueSize * _cpus);
        for (var cpu = 0; cpu < _cpus; cpu++, v += HostValueSize / 8)
            (packets, total) = (packets + (long)v[0], total + (long)v[1]);
        return new KernelHostCount((int)*(uint*)k, address, k[4] == 1, packets, total);
    }

    /// <summary>Clears the device's totals and its connection entries (the other devices' stay).</summary>
    public void Reset(int ifindex)
    {
        ZeroTotals(ifindex);
        DeleteConnections(ifindex);
    }

    private ConnectionEntry Entry(int index, long monoNow, long wallMicros)
    {
        var k = _keys + index * ConnectionKeySize;
        var key = new ConnectionKey((int)*(uint*)k, *(ushort*)(k + 4), *(ushort*)(k + 6), (ConnectionDirection)k[8],
            k[9] == 17 ? ConnectionProtocol.Udp : ConnectionProtocol.Tcp);
        long packets = 0, bytes = 0, last = 0;
        var v = (ulong*)(_values + (long)index * ConnectionValueSize * _cpus);
        for (var cpu = 0; cpu < _cpus; cpu++, v += ConnectionValueSize / 8)
        {
            packets += (long)v[0];
            bytes += (long)v[1];
            last = Math.Max(last, (long)v[3]);
        }
        return new ConnectionEntry(key, packets, bytes, wallMicros - (monoNow - last) / 1000);
    }

    private void ZeroTotals(int ifindex)
    {
        var key = (uint)ifindex;
        var zero = stackalloc byte[TotalsSize * _cpus];
        new Span<byte>(zero, TotalsSize * _cpus).Clear();
        Check(LibbpfNative.MapUpdate(_totals, &key, zero, 0), "configuring", $"ifindex {ifindex}'s totals");
    }

    private void DeleteConnections(int ifindex) => Deleted(ifindex, hosts: false, DeleteOf(_connections, ConnectionKeySize, ifindex));

    /// <summary>Deletes a map's entries of one device (every key here starts with the ifindex); how many it deleted.</summary>
    private static int DeleteOf(int map, int keySize, int ifindex)
    {
        var doomed = new List<byte[]>();
        var key = stackalloc byte[keySize];
        var next = stackalloc byte[keySize];
        var rc = LibbpfNative.MapNextKey(map, null, next);
        while (rc == 0)
        {
            if (*(uint*)next == (uint)ifindex)
                doomed.Add(new ReadOnlySpan<byte>(next, keySize).ToArray());
            Buffer.MemoryCopy(next, key, keySize, keySize);
            rc = LibbpfNative.MapNextKey(map, key, next);
        }
        var deleted = 0;
        foreach (var d in doomed)
        {
            fixed (byte* p = d)
                deleted += LibbpfNative.MapDelete(map, p) == 0 ? 1 : 0;
        }
        return deleted;
    }

    private void Forget(int ifindex)
    {
        var key = (uint)ifindex;
        LibbpfNative.MapDelete(_devices, &key);
        LibbpfNative.MapDelete(_totals, &key);
        LibbpfNative.MapDelete(_created, &key);
        DeleteOf(_connections, ConnectionKeySize, ifindex);
        DeleteOf(_hosts, HostKeySize, ifindex);
        foreach (var hosts in new[] { false, true })
        {
            _deleted.Remove((ifindex, hosts));
            _evicted.Remove((ifindex, hosts)); // the map-wide figure keeps them
        }
    }

    private int ProgramFd(string name) => LibbpfNative.ProgramFd(Find(_object, name, map: false));

    private int MapFd(string name) => LibbpfNative.MapFd(Find(_object, name, map: true));

    /// <summary>For benchmarks: a map's file descriptor by name, and the per-CPU copies a value has.</summary>
    internal (int Fd, int Cpus) MapOf(string name) => (MapFd(name), _cpus);

    private static nint Find(nint bpfObject, string name, bool map)
    {
        nint found;
        fixed (byte* n = Utf8(name))
            found = map ? LibbpfNative.FindMap(bpfObject, n) : LibbpfNative.FindProgram(bpfObject, n);
        return found != 0 ? found
            : throw new KernelBackendException($"the BPF object has no {(map ? "map" : "program")} {name}", "the object is from another version: build again");
    }

    private static void Check(int rc, string step, string? subject = null)
    {
        if (rc < 0)
            throw KernelBackendException.From(step, -rc, subject);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text + "\0");

    /// <summary>CLOCK_MONOTONIC in nanoseconds, the clock of <c>bpf_ktime_get_ns</c> (Stopwatch reads it on Linux).</summary>
    private static long MonotonicNanoseconds() => (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (var ifindex in _attached.Keys.ToList())
            Detach(ifindex);
        LibbpfNative.ObjectClose(_object);
        NativeMemory.Free(_keys);
        NativeMemory.Free(_values);
    }
}

/// <summary>What the kernel program counts on a device (combined when one interface has several roles).</summary>
[Flags]
public enum KernelCounting
{
    None = 0,

    /// <summary>Connection statistics of an attached device.</summary>
    Connections = 2,

    /// <summary>A WAN capture's per-host accounting: every local end of a frame.</summary>
    WanHosts = 4,

    /// <summary>A LAN capture's: frames with exactly one local end.</summary>
    LanHosts = 8,
}

/// <summary>A kernel map at its last read: its entries, and the entries the kernel evicted for want of room since the programs were loaded.</summary>
public readonly record struct MapFill(int Entries, long Evictions);

/// <summary>A local host's frames across a device, one direction (<see cref="Sent"/>: it sent them), cumulative.</summary>
public readonly record struct KernelHostCount(int Ifindex, IpAddr Address, bool Sent, long Packets, long Bytes);
