using System.Globalization;
using RoutingFlow.Capture.Connections;
using RoutingFlow.Capture.Kernel;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Oracles;
using RoutingFlow.Testing.Processes;
using RoutingFlow.Testing.Waiting;
using Xunit.Abstractions;

namespace RoutingFlow.Capture.Tests.Kernel;

/// <summary>
/// The kernel counting programs against tshark, in the namespace lab: attached to the router's lan0 (a veth with no
/// shaping qdisc) while tcpdump records it, iperf3 TCP both ways and UDP with fixed client ports from h1; per
/// (ports, direction, protocol) the kernel's counters must equal tshark's count of the recording, packets and bytes
/// exactly. Directions are the device's, inverted on a veth (read from the other side), as the pcap backend's.
/// </summary>
public sealed class BpfCountersLabTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-kernel-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [RootFact]
    public async Task AttachedDevice_CountsEveryConnectionAsTsharkDoes_AndLeavesNothingAttached()
    {
        await using var lab = await NamespaceLab.StartAsync("400mbit", "400mbit");
        var router = lab.Namespace("router");
        var ifindex = int.Parse((await lab.ExecAsync("router", "cat", "/sys/class/net/lan0/ifindex")).StandardOutput, CultureInfo.InvariantCulture);
        var mac = (await lab.ExecAsync("router", "cat", "/sys/class/net/lan0/address")).StandardOutput.Trim();
        using var counters = await NetnsThread.RunAsync(router, () =>
        {
            var loaded = BpfCounters.Load(BpfCounters.DefaultObjectPath, 4096);
            Assert.False(loaded.Attach(ifindex, veth: true, networkOffset: 14), "no filter of an earlier run");
            return loaded;
        });
        try
        {
            Assert.Contains("rf_ingress", (await lab.ExecAsync("router", "tc", "filter", "show", "dev", "lan0", "ingress")).StandardOutput, StringComparison.Ordinal);
            Assert.Contains("rf_egress", (await lab.ExecAsync("router", "tc", "filter", "show", "dev", "lan0", "egress")).StandardOutput, StringComparison.Ordinal);
            var pcap = Path.Combine(_dir, "lan0.pcap");
            var dump = lab.Start("router", "tcpdump", "-n", "-U", "--immediate-mode", "-i", "lan0", "-s", "128", "-w", pcap, "tcp or udp");
            await Eventually.WaitAsync(() => Task.FromResult(dump.Output.Contains("listening on", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "tcpdump to listen");
            lab.Start("inet", "iperf3", "-s", "-p", "5201");
            await Eventually.WaitAsync(async () => (await lab.ExecAsync("inet", "ss", "-ltn")).StandardOutput.Contains(":5201", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10), "iperf3 server");
            // Under the WANs' 400 Mbit/s: a frame the shaper drops on wan0 has crossed lan0 either way.
            await Run(lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-t", "2", "-b", "50M", "--cport", "40001"));
            await Run(lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-t", "2", "-b", "50M", "-R", "--cport", "40002"));
            await Run(lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-t", "2", "-u", "-b", "5M", "--cport", "40003"));
            await dump.InterruptAsync(TimeSpan.FromSeconds(10));

            // lan0 sent the frame when its MAC is the source; a veth's directions read from the other side.
            var expected = await TsharkPortTuples.ReadAsync(pcap, src => !string.Equals(src, mac, StringComparison.OrdinalIgnoreCase));
            var counted = Read(counters, ifindex);
            output.WriteLine($"{expected.Count} tuples, {expected.Values.Sum(c => c.Packets)} frames in the recording; kernel: {counted.Count} tuples, {counted.Values.Sum(c => c.Packets)} frames");
            foreach (var (tuple, want) in expected)
            {
                Assert.True(counted.TryGetValue(tuple, out var got), $"no kernel counter for {tuple}");
                Assert.True(want == got, $"{tuple}: tshark {want}, kernel {got}");
            }
            Assert.Equal(expected.Count, counted.Count);
            Assert.Contains(expected.Keys, k => k is { Protocol: "UDP", SrcPort: 40003, Direction: "egress" }); // h1's datagrams: egress from h1's side
            var totals = counters.Totals(ifindex);
            Assert.Equal(expected.Values.Sum(c => c.Packets), totals.TcpIngressPackets + totals.TcpEgressPackets + totals.UdpIngressPackets + totals.UdpEgressPackets);
            Assert.Equal(expected.Where(e => e.Key is { Protocol: "UDP", Direction: "egress" }).Sum(e => e.Value.Bytes), totals.UdpEgressBytes);
            Assert.Equal(totals.Packets, totals.TcpIngressPackets + totals.TcpEgressPackets + totals.UdpIngressPackets + totals.UdpEgressPackets + totals.OtherPackets);

            counters.Reset(ifindex);
            Assert.Empty(Read(counters, ifindex));
            Assert.Equal(0, counters.Totals(ifindex).Packets);
        }
        finally
        {
            await NetnsThread.RunAsync(router, counters.Dispose);
        }
        Assert.DoesNotContain("rf_", (await lab.ExecAsync("router", "tc", "filter", "show", "dev", "lan0", "ingress")).StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("clsact", (await lab.ExecAsync("router", "tc", "qdisc", "show", "dev", "lan0")).StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>
    /// A run killed without detaching leaves its filters (tc filters outlive their process): the next run's attach
    /// finds them by RoutingFlow's handle and priority and replaces them, so one filter per direction remains, and
    /// its detach removes it.
    /// </summary>
    [RootFact]
    public async Task AFilterLeftByAKilledRun_IsFoundAndReplaced()
    {
        await using var lab = await NamespaceLab.StartAsync();
        var router = lab.Namespace("router");
        var ifindex = int.Parse((await lab.ExecAsync("router", "cat", "/sys/class/net/lan0/ifindex")).StandardOutput, CultureInfo.InvariantCulture);
        var killed = await NetnsThread.RunAsync(router, () =>
        {
            var first = BpfCounters.Load(BpfCounters.DefaultObjectPath, 1024);
            first.Attach(ifindex, veth: true, networkOffset: 14);
            return first; // never detached: as if SIGKILLed
        });
        var next = await NetnsThread.RunAsync(router, () => BpfCounters.Load(BpfCounters.DefaultObjectPath, 1024));
        try
        {
            Assert.True(await NetnsThread.RunAsync(router, () => next.Attach(ifindex, veth: true, networkOffset: 14)), "the earlier run's filter was found");
            var filters = (await lab.ExecAsync("router", "tc", "filter", "show", "dev", "lan0", "ingress")).StandardOutput;
            Assert.Single(filters.Split('\n'), l => l.Contains("rf_ingress", StringComparison.Ordinal));
        }
        finally
        {
            await NetnsThread.RunAsync(router, next.Dispose);
        }
        Assert.DoesNotContain("rf_", (await lab.ExecAsync("router", "tc", "filter", "show", "dev", "lan0", "ingress")).StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("rf_", (await lab.ExecAsync("router", "tc", "filter", "show", "dev", "lan0", "egress")).StandardOutput, StringComparison.Ordinal);
        await NetnsThread.RunAsync(router, killed.Dispose); // the qdisc it created goes with it
    }

    /// <summary>
    /// Line rate: 64-byte UDP datagrams from h1 as fast as iperf3 sends them (no rate limit) for 5 s across lan0; the
    /// kernel's counters must hold at least 99.9% of the frames the interface's own counters (rx + tx) saw meanwhile,
    /// and no more than they saw (nothing double-counted). libpcap's figure beside it, from a tcpdump on the same
    /// interface in the same run (printed: it may drop, which is the point of the kernel's counting).
    /// </summary>
    [RootFact]
    public async Task SmallFramesAsFastAsTheyCome_EveryFrameTheInterfaceSaw_IsCounted()
    {
        await using var lab = await NamespaceLab.StartAsync("1gbit", "1gbit");
        var router = lab.Namespace("router");
        var ifindex = int.Parse((await lab.ExecAsync("router", "cat", "/sys/class/net/lan0/ifindex")).StandardOutput, CultureInfo.InvariantCulture);
        using var counters = await NetnsThread.RunAsync(router, () =>
        {
            var loaded = BpfCounters.Load(BpfCounters.DefaultObjectPath, 4096);
            loaded.Attach(ifindex, veth: true, networkOffset: 14);
            return loaded;
        });
        try
        {
            lab.Start("inet", "iperf3", "-s", "-p", "5201");
            await Eventually.WaitAsync(async () => (await lab.ExecAsync("inet", "ss", "-ltn")).StandardOutput.Contains(":5201", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10), "iperf3 server");
            var dump = lab.Start("router", "tcpdump", "-n", "-i", "lan0", "-s", "128", "-w", "/dev/null");
            await Eventually.WaitAsync(() => Task.FromResult(dump.Output.Contains("listening on", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "tcpdump to listen");
            var before = await FramesAsync(lab);
            var counted0 = counters.Totals(ifindex).Packets;
            await Run(lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-t", "5", "-u", "-l", "64", "-b", "0", "--cport", "40021"));
            var seen = await FramesAsync(lab) - before;
            var counted = counters.Totals(ifindex).Packets - counted0;
            await dump.InterruptAsync(TimeSpan.FromSeconds(10));
            output.WriteLine($"lan0 saw {seen:N0} frames in 5 s ({seen / 5.0:N0}/s); the kernel counters {counted:N0} ({100.0 * counted / seen:F3}%)");
            output.WriteLine($"libpcap (tcpdump, the whole run): {string.Join("; ", dump.Output.Split('\n').Where(l => l.Contains("packets", StringComparison.Ordinal)).Select(l => l.Trim()))}");
            Assert.True(seen > 50_000, $"only {seen} frames crossed lan0");
            Assert.InRange(counted, (long)Math.Ceiling(seen * 0.999), seen);
        }
        finally
        {
            await NetnsThread.RunAsync(router, counters.Dispose);
        }
    }

    /// <summary>
    /// Per-host accounting on a LAN interface: lan0 counted as a LAN capture (local networks the lab's LAN, v4 and v6)
    /// while tcpdump records what is not local to local (its neighbour solicitations to multicast addresses too) and h1
    /// sends to and receives from inet; h1's bytes and frames each way equal tshark's endpoint statistics of the
    /// recording exactly, for IPv4 and IPv6, and inet (not local) has no counter.
    /// </summary>
    [RootFact]
    public async Task Hosts_OnALanInterface_AreCountedAsTsharksEndpoints()
    {
        await using var lab = await NamespaceLab.StartAsync("400mbit", "400mbit");
        var router = lab.Namespace("router");
        var ifindex = int.Parse((await lab.ExecAsync("router", "cat", "/sys/class/net/lan0/ifindex")).StandardOutput, CultureInfo.InvariantCulture);
        using var counters = await NetnsThread.RunAsync(router, () =>
        {
            var loaded = BpfCounters.Load(BpfCounters.DefaultObjectPath, 1024, 1024);
            loaded.SetLocalNetworks([RoutingFlow.Capture.Addressing.IpNetwork.Parse("192.168.50.0/24"), RoutingFlow.Capture.Addressing.IpNetwork.Parse("fd50::/64")]);
            loaded.Attach(ifindex, veth: true, networkOffset: 14, KernelCounting.LanHosts);
            return loaded;
        });
        try
        {
            var pcap = Path.Combine(_dir, "hosts.pcap");
            var dump = lab.Start("router", "tcpdump", "-n", "-U", "--immediate-mode", "-i", "lan0", "-s", "128", "-w", pcap,
                "not (src net 192.168.50.0/24 and dst net 192.168.50.0/24) and not (src net fd50::/64 and dst net fd50::/64)"); // a LAN capture's WAN traffic: not local to local
            await Eventually.WaitAsync(() => Task.FromResult(dump.Output.Contains("listening on", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "tcpdump to listen");
            lab.Start("inet", "iperf3", "-s", "-p", "5201");
            await Eventually.WaitAsync(async () => (await lab.ExecAsync("inet", "ss", "-ltn")).StandardOutput.Contains(":5201", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10), "iperf3 server");
            await Run(lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-t", "2", "-b", "30M"));
            await Run(lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-t", "2", "-b", "30M", "-R"));
            await Run(lab.Iperf3Async("h1", "-c", "2001:db8:100::100", "-p", "5201", "-t", "2", "-u", "-b", "5M"));
            await dump.InterruptAsync(TimeSpan.FromSeconds(10));

            var endpoints = await TsharkEndpoints.ReadAsync(pcap);
            var hosts = new List<KernelHostCount>();
            counters.ReadHosts(hosts);
            foreach (var h in hosts)
                output.WriteLine($"{h.Address} {(h.Sent ? "tx" : "rx")} {h.Packets} frames {h.Bytes} bytes");
            foreach (var address in new[] { "192.168.50.10", "fd50::10" })
            {
                var want = endpoints[address];
                var tx = Assert.Single(hosts, h => h.Address.ToString() == address && h.Sent);
                var rx = Assert.Single(hosts, h => h.Address.ToString() == address && !h.Sent);
                Assert.Equal((want.TxPackets, want.TxBytes, want.RxPackets, want.RxBytes), (tx.Packets, tx.Bytes, rx.Packets, rx.Bytes));
            }
            Assert.DoesNotContain(hosts, h => h.Address.ToString() is "192.0.2.100" or "2001:db8:100::100");
        }
        finally
        {
            await NetnsThread.RunAsync(router, counters.Dispose);
        }
    }

    /// <summary>
    /// A connection map too small for the traffic: 200 UDP datagrams from h1, each from a port of its own, into a map
    /// of 64 entries. The kernel keeps at most 64 and evicts the rest without counting them; the counters infer the
    /// evictions from the entries the program created: exactly the 200 tuples less those still in the map, per device
    /// and map-wide.
    /// </summary>
    [RootFact]
    public async Task AFullConnectionMap_EvictsAndTheEvictionsAreCounted()
    {
        await using var lab = await NamespaceLab.StartAsync();
        var router = lab.Namespace("router");
        var ifindex = int.Parse((await lab.ExecAsync("router", "cat", "/sys/class/net/lan0/ifindex")).StandardOutput, CultureInfo.InvariantCulture);
        using var counters = await NetnsThread.RunAsync(router, () =>
        {
            var loaded = BpfCounters.Load(BpfCounters.DefaultObjectPath, 64);
            loaded.Attach(ifindex, veth: true, networkOffset: 14);
            return loaded;
        });
        try
        {
            var send = "import socket\nfor port in range(42000, 42200):\n    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n    s.bind(('', port))\n"
                + $"    s.sendto(b'x', ('{NamespaceLab.Server}', 9))\n    s.close()\n";
            await Run(lab.ExecAsync("h1", "python3", "-c", send));
            var sent = 0L;
            await Eventually.WaitAsync(() => Task.FromResult((sent = counters.Totals(ifindex).UdpEgressPackets) >= 200), TimeSpan.FromSeconds(10), "the 200 datagrams counted");
            var live = Read(counters, ifindex).Keys.Count(t => t is { Protocol: "UDP", SrcPort: >= 42000 and < 42200 });
            output.WriteLine($"{sent} datagrams counted; {live} of their 200 tuples still in the map of 64; evictions {counters.ConnectionEvictions(ifindex)}, map-wide {counters.ConnectionFill}");
            Assert.Equal(200, sent);
            Assert.InRange(live, 1, 64);
            Assert.Equal(200 - live, counters.ConnectionEvictions(ifindex));
            Assert.Equal(new MapFill(live, 200 - live), counters.ConnectionFill);

            counters.Reset(ifindex); // deleted by user space: not evictions
            Read(counters, ifindex);
            Assert.Equal(200 - live, counters.ConnectionEvictions(ifindex));
        }
        finally
        {
            await NetnsThread.RunAsync(router, counters.Dispose);
        }
    }

    private static async Task<long> FramesAsync(NamespaceLab lab)
    {
        var (rx, tx) = (await lab.ExecAsync("router", "cat", "/sys/class/net/lan0/statistics/rx_packets"), await lab.ExecAsync("router", "cat", "/sys/class/net/lan0/statistics/tx_packets"));
        return long.Parse(rx.StandardOutput, CultureInfo.InvariantCulture) + long.Parse(tx.StandardOutput, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void AMissingObject_IsAClearErrorWithTheFix()
    {
        var error = Assert.Throws<KernelBackendException>(() => BpfCounters.Load(Path.Combine(_dir, "none.bpf.o"), 1024));
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("clang", error.Fix, StringComparison.Ordinal);
    }

    private static Dictionary<PortTuple, TupleCounts> Read(BpfCounters counters, int ifindex)
    {
        var entries = new List<ConnectionEntry>();
        counters.ReadConnections(entries, DateTimeOffset.UtcNow);
        return entries.Where(e => e.Key.DeviceId == ifindex).ToDictionary(
            e => new PortTuple(e.Key.SourcePort, e.Key.DestinationPort, e.Key.Direction == ConnectionDirection.Egress ? "egress" : "ingress", e.Key.Protocol == ConnectionProtocol.Tcp ? "TCP" : "UDP"),
            e => new TupleCounts(e.Packets, e.Bytes));
    }

    private static async Task Run(Task<ProcessResult> command)
    {
        var result = await command;
        Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);
    }
}
