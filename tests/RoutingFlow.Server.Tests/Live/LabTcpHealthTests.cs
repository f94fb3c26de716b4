using RoutingFlow.Capture.Analysis;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Tcp;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Oracles;
using RoutingFlow.Testing.Processes;
using RoutingFlow.Testing.Waiting;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// The TCP health analysis against Wireshark's expert analysis (the oracle) on captures of real kernel TCP in the
/// lab, recorded by tcpdump on the router's wan0: iperf3 both ways with loss injected in isp0 by
/// <c>iptables -m statistic</c> (data on the way in, before the capture point: gaps then out-of-order fills; data
/// on the way out and ACKs, after it: duplicates), with and without segmentation offload; and a receiver that stops
/// reading (a zero window held for two seconds, then reopened).
/// </summary>
public sealed class LabTcpHealthTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 0.05;
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-labtcp-").FullName;

    [RootTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LossBothWays_AgreesWithWireshark(bool offload)
    {
        await using var lab = await NamespaceLab.StartAsync("400mbit", "400mbit");
        if (!offload)
            await OffloadOffAsync(lab);
        await DropAsync(lab, "-m", "length", "--length", "1000:65535", "-m", "statistic", "--mode", "random", "--probability", "0.02"); // data
        await DropAsync(lab, "-m", "length", "--length", "0:120", "-m", "statistic", "--mode", "random", "--probability", "0.05"); // ACKs
        var pcap = Path.Combine(_dir, $"loss-{(offload ? "offload" : "no-offload")}.pcap");

        await RecordAsync(lab, pcap, async () =>
        {
            await StartListenerAsync(lab, "iperf3", "-s", "-p", "5201");
            await Run(lab.ExecAsync("h1", "iperf3", "-c", NamespaceLab.Server, "-p", "5201", "-t", "3", "-R"));
            await Run(lab.ExecAsync("h1", "iperf3", "-c", NamespaceLab.Server, "-p", "5201", "-t", "3"));
        });

        var (ours, wireshark) = await CompareAsync(pcap);
        Assert.True(wireshark.LostSegment >= 10 && wireshark.Retransmitted >= 20, $"too little loss to compare: {wireshark}");
        AssertClose("missing against lost_segment", wireshark.LostSegment, ours.Missing);
        AssertClose("duplicate + outOfOrder against retransmission | out_of_order", wireshark.Retransmitted, ours.Duplicate + ours.OutOfOrder);
        Assert.True(ours.Duplicate > 0 && ours.OutOfOrder > 0, "loss after the capture point gives duplicates, before it out-of-order fills");
    }

    [RootFact]
    public async Task ReceiverThatStopsReading_ZeroWindowAgreesWithWireshark()
    {
        await using var lab = await NamespaceLab.StartAsync("400mbit", "400mbit");
        var pcap = Path.Combine(_dir, "zero-window.pcap");

        await RecordAsync(lab, pcap, async () =>
        {
            await StartListenerAsync(lab, "python3", "-c", StalledReceiver, "5300");
            var started = System.Diagnostics.Stopwatch.StartNew();
            await Run(lab.ExecAsync("h1", "python3", "-c", Sender, NamespaceLab.Server, "5300", "8000000"));
            output.WriteLine($"sender took {started.Elapsed.TotalSeconds:F1} s");
        });

        var (ours, wireshark) = await CompareAsync(pcap);
        Assert.True(wireshark.ZeroWindow >= 1, $"the receiver never closed its window: {wireshark}");
        Assert.Equal(wireshark.KeepAlive, ours.KeepAlives); // the sender's zero-window probes, one byte behind
        AssertClose("zeroWindow against zero_window", wireshark.ZeroWindow, ours.ZeroWindow);
        Assert.Equal(0, ours.Missing);
        AssertClose("duplicate + outOfOrder against retransmission | out_of_order", wireshark.Retransmitted, ours.Duplicate + ours.OutOfOrder);
    }

    // Accepts one connection, stops reading for two seconds (the window fills and closes), then reads to the end.
    private const string StalledReceiver = """
        import socket, sys, time
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(1)
        c, _ = s.accept(); time.sleep(2)
        while c.recv(65536): pass
        """;

    private const string Sender = """
        import socket, sys
        c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=30)
        c.sendall(b"x" * int(sys.argv[3])); c.shutdown(socket.SHUT_WR); c.recv(1); c.close()
        """;

    private async Task<(TcpReport Ours, TcpExpertCounts Wireshark)> CompareAsync(string pcap)
    {
        var tcp = new TcpAnalyzer(new TcpAnalysisOptions());
        var count = OfflineAnalyzer.Count(pcap, 65_536, others: [tcp]);
        var ours = OfflineAnalyzerTcp(count);
        var wireshark = await TsharkTcpExpert.ReadAsync(pcap);
        output.WriteLine($"ours: packets {ours.Packets}, missing {ours.Missing}, duplicate {ours.Duplicate}, outOfOrder {ours.OutOfOrder}, zeroWindow {ours.ZeroWindow}, keep-alives {ours.KeepAlives}");
        output.WriteLine($"wireshark: {wireshark}");
        return (ours, wireshark);
    }

    private static TcpReport OfflineAnalyzerTcp(EndpointCount count) =>
        new OfflineAnalyzer(new RoutingFlow.Capture.Addressing.NetworkSet([]), new RoutingFlow.Capture.Mapping.NicMap(["wan0"], "wan0", [], 1)).Report(count).Tcp!;

    private static void AssertClose(string what, long expected, long actual) =>
        Assert.True(Math.Abs(actual - expected) <= Math.Max(1, expected * Tolerance), $"{what}: Wireshark {expected}, ours {actual}");

    /// <summary>tcpdump on the router's wan0 (128-byte snap length, as the server captures) around <paramref name="traffic"/>.</summary>
    private static async Task RecordAsync(NamespaceLab lab, string pcap, Func<Task> traffic)
    {
        var dump = lab.Start("router", "tcpdump", "-n", "-U", "--immediate-mode", "-i", "wan0", "-s", "128", "-w", pcap, "tcp");
        await Eventually.WaitAsync(() => Task.FromResult(dump.Output.Contains("listening on", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "tcpdump to listen");
        await traffic();
        await dump.InterruptAsync(TimeSpan.FromSeconds(10));
        Assert.Matches(@"(?m)^0 packets dropped by kernel", dump.Output); // the capture is the whole story
    }

    private static async Task StartListenerAsync(NamespaceLab lab, params string[] command)
    {
        lab.Start("inet", command);
        var port = command[^1] == "5201" ? ":5201" : $":{command[^1]}";
        await Eventually.WaitAsync(async () => (await lab.ExecAsync("inet", "ss", "-ltn")).StandardOutput.Contains(port, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), $"a listener on {port}");
    }

    /// <summary>A DROP rule in isp0's FORWARD chain for TCP to or from port 5201 (both directions).</summary>
    private static async Task DropAsync(NamespaceLab lab, params string[] match)
    {
        foreach (var port in new[] { "--sport", "--dport" })
            await Run(lab.ExecAsync("isp0", ["iptables", "-A", "FORWARD", "-p", "tcp", port, "5201", .. match, "-j", "DROP"]));
    }

    /// <summary>TSO, GSO and GRO off on every interface between h1 and inet.</summary>
    private static async Task OffloadOffAsync(NamespaceLab lab)
    {
        foreach (var node in new[] { "h1", "sw", "router", "isp0", "inet" })
        {
            var links = (await lab.ExecAsync(node, "ls", "/sys/class/net")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var link in links.Where(l => l != "lo"))
                await Run(lab.ExecAsync(node, "ethtool", "-K", link, "tso", "off", "gso", "off", "gro", "off"));
        }
    }

    private static async Task Run(Task<ProcessResult> command)
    {
        var result = await command;
        Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("RF_KEEP_CAPTURES") is not { Length: > 0 })
            Directory.Delete(_dir, recursive: true);
    }
}
