using System.Text;
using BenchmarkDotNet.Attributes;
using RoutingFlow.Capture.Network;

namespace RoutingFlow.Benchmarks;

/// <summary>
/// The network monitor's <c>/proc</c> parsers, per scan: a <c>/proc/net/tcp</c> table of 100,000 sockets (mixed
/// states, the kernel's own line format), <c>/proc/net/snmp</c> + <c>netstat</c> as this machine's kernel writes them,
/// and <c>/proc/net/dev</c> with 500 interfaces. Allocated is per scan (the goal: 0 B).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class NetworkCollectorBenchmarks
{
    private byte[] _tcp = [];
    private byte[] _snmp = [];
    private byte[] _dev = [];
    private readonly long[] _values = new long[KernelCounters.Count];
    private readonly bool[] _found = new bool[KernelCounters.Count];
    private readonly NetDevTable _table = new();

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        var tcp = new StringBuilder("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
        byte[] states = [1, 1, 1, 1, 6, 6, 8, 10, 2, 3];
        for (var i = 0; i < 100_000; i++)
        {
            tcp.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{i,6}: 0A000001:{random.Next(1024, 65535):X4} C0000264:01BB {states[i % states.Length]:X2} 00000000:00000000 00:00000000 00000000     0        0 {1000 + i} 1 0000000000000000 20 4 30 10 -1\n");
        }
        _tcp = Encoding.ASCII.GetBytes(tcp.ToString());
        _snmp = File.Exists("/proc/net/snmp") ? [.. File.ReadAllBytes("/proc/net/snmp"), .. File.ReadAllBytes("/proc/net/netstat")] : [];
        var dev = new StringBuilder("Inter-|   Receive |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes\n");
        for (var i = 0; i < 500; i++)
            dev.Append(System.Globalization.CultureInfo.InvariantCulture, $"veth{i:x6}: {random.NextInt64(1L << 40)} {random.Next()} 0 0 0 0 0 0 {random.NextInt64(1L << 40)} {random.Next()} 0 0 0 0 0 0\n");
        _dev = Encoding.ASCII.GetBytes(dev.ToString());
        _table.Update(_dev);
    }

    [Benchmark]
    public long SocketTable100k()
    {
        var counts = new SocketCounts();
        SocketTableParser.Count(_tcp, ref counts);
        return counts.Total;
    }

    [Benchmark]
    public int KernelCountersSnmpAndNetstat() => KernelCounters.Parse(_snmp, _values, _found);

    [Benchmark]
    public int NetDev500Interfaces() => _table.Update(_dev);
}
