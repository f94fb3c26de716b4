using System.Globalization;
using BenchmarkDotNet.Attributes;
using RoutingFlow.Capture.Connections;
using RoutingFlow.Capture.Kernel;

namespace RoutingFlow.Benchmarks;

/// <summary>
/// The eBPF backend's once-a-second read of its maps at their default size: 65,536 connection entries and 65,536 host
/// entries (every one present, per-CPU values), read with batch lookups and the per-CPU copies summed, as the devices'
/// and the captures' feeds read them. Needs root and the built object (bpf/rf_counters.bpf.o beside the assemblies).
/// Setup prints the kernel's memory per entry (the maps' memlock, /proc/self/fdinfo) and the reader's per entry.
/// </summary>
[MemoryDiagnoser]
[InProcess] // the object lies beside this assembly, not beside a generated project's
public unsafe class KernelMapBenchmarks
{
    private const int Entries = 65_536;
    private readonly List<ConnectionEntry> _connections = new(Entries);
    private readonly List<KernelHostCount> _hosts = new(Entries);
    private BpfCounters _counters = null!;

    [GlobalSetup]
    public void Setup()
    {
        _counters = BpfCounters.Load(BpfCounters.DefaultObjectPath, Entries, Entries);
        var (connections, cpus) = _counters.MapOf("rf_connections");
        var key = stackalloc byte[24];
        var value = stackalloc ulong[4 * cpus];
        for (var i = 0; i < Entries; i++)
        {
            new Span<byte>(key, 24).Clear();
            *(uint*)key = 7;
            *(ushort*)(key + 4) = (ushort)(1024 + i % 60_000);
            *(ushort*)(key + 6) = (ushort)(i / 60_000 + 1);
            key[9] = 6;
            for (var c = 0; c < cpus; c++)
                (value[c * 4], value[c * 4 + 1], value[c * 4 + 2], value[c * 4 + 3]) = (10, 15_000, 1, 2);
            Fill(connections, key, value);
        }
        var (hosts, _) = _counters.MapOf("rf_hosts");
        for (var i = 0; i < Entries; i++)
        {
            new Span<byte>(key, 24).Clear();
            *(uint*)key = 7;
            key[4] = (byte)(i & 1);
            key[5] = 4;
            (key[8], key[9], key[10], key[11]) = (10, (byte)(i >> 17), (byte)(i >> 9), (byte)(i >> 1));
            for (var c = 0; c < cpus; c++)
                (value[c * 2], value[c * 2 + 1]) = (10, 15_000);
            Fill(hosts, key, value);
        }
        Console.WriteLine($"// {cpus} possible CPUs; kernel memory per entry: connections {PerEntry(connections)}, hosts {PerEntry(hosts)} bytes (memlock / {Entries:N0})");
        Console.WriteLine($"// user space per entry read: connections {sizeof(ConnectionEntry)} bytes, hosts {sizeof(KernelHostCount)} bytes (the lists' elements); batch buffers {4096 * (24 + 32 * cpus):N0} bytes in all");
    }

    [GlobalCleanup]
    public void Cleanup() => _counters.Dispose();

    /// <summary>All 65,536 connection entries, per-CPU copies summed (the devices' feed, once a second).</summary>
    [Benchmark]
    public int ReadConnections()
    {
        _connections.Clear();
        _counters.ReadConnections(_connections, DateTimeOffset.UnixEpoch);
        return _connections.Count;
    }

    /// <summary>All 65,536 host entries (a capture's host feed, once a second).</summary>
    [Benchmark]
    public int ReadHosts()
    {
        _hosts.Clear();
        _counters.ReadHosts(_hosts);
        return _hosts.Count;
    }

    private static void Fill(int map, byte* key, ulong* value)
    {
        var rc = LibbpfNative.MapUpdate(map, key, value, 0);
        if (rc < 0)
            throw new InvalidOperationException($"filling the map: error {-rc}");
    }

    private static string PerEntry(int fd)
    {
        var line = File.ReadLines($"/proc/self/fdinfo/{fd}").FirstOrDefault(l => l.StartsWith("memlock:", StringComparison.Ordinal));
        return line is null ? "?" : (long.Parse(line["memlock:".Length..].Trim(), CultureInfo.InvariantCulture) / Entries).ToString(CultureInfo.InvariantCulture);
    }
}
