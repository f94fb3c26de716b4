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
            await Run(lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-t", "3", "-R"));
            await Run(lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-t", "3"));
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
        AssertClose("missing against lost_segment", wireshark.LostSegment, ours.Missing); // the shaper may drop one in the burst after the window reopens
        AssertClose("duplicate + outOfOrder against retransmission | out_of_order", wireshark.Retransmitted, ours.Duplicate + ours.OutOfOrder);
    }

    /// <summary>
    /// The live path: the server's own capture of wan0 (role wan) and tcpdump's of the same interface see the same
    /// packets; the server's counts on <c>/api/tcp/summary</c> and <c>/metrics</c> agree with Wireshark's on tcpdump's file.
    /// </summary>
    [RootFact]
    public async Task LiveCapture_ReportsWhatWiresharkFindsInTheSameTraffic()
    {
        await using var lab = await NamespaceLab.StartAsync("400mbit", "400mbit");
        await DropAsync(lab, "-m", "length", "--length", "1000:65535", "-m", "statistic", "--mode", "random", "--probability", "0.02");
        await using var server = await Infrastructure.RoutingFlowServer.StartAsync(NicJson, ["--RoutingFlow:Tcp:StatsInterval=00:00:01", "--Logging:LogLevel:RoutingFlow.Server.Tcp.TcpStatsWorker=Debug"],
            listen: NamespaceLab.RouterAddress, lab: lab);
        await Eventually.WaitAsync(async () => Wan0(await SummaryAsync(server)) is not null, TimeSpan.FromSeconds(20), "the TCP analysis of wan0");
        var pcap = Path.Combine(_dir, "live.pcap");

        await RecordAsync(lab, pcap, async () =>
        {
            await StartListenerAsync(lab, "iperf3", "-s", "-p", "5201");
            await Run(lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-t", "3", "-R"));
        });

        var (file, wireshark) = await CompareAsync(pcap);
        var live = await Eventually.WaitAsync(async () => Wan0(await SummaryAsync(server)) is { } w && w.GetProperty("tcpPackets").GetInt64() >= file.Packets ? w : (System.Text.Json.JsonElement?)null,
            TimeSpan.FromSeconds(20), "the server to have seen every TCP packet tcpdump saw");
        var w = live!.Value;
        output.WriteLine($"live: {w}");
        Assert.True(wireshark.LostSegment >= 10, $"too little loss to compare: {wireshark}");
        AssertClose("live missing against lost_segment", wireshark.LostSegment, w.GetProperty("missing").GetInt64());
        AssertClose("live duplicate + outOfOrder against retransmissions", wireshark.Retransmitted,
            w.GetProperty("duplicate").GetInt64() + w.GetProperty("outOfOrder").GetInt64());
        var metrics = await server.MetricsAsync();
        Assert.Equal(w.GetProperty("missing").GetInt64(), Infrastructure.RoutingFlowServer.Value(metrics, "tcp_monitor_packet_loss_missing", "interface=\"wan0\",nic=\"wan0\""));
        Assert.Equal(w.GetProperty("missing").GetInt64(), Infrastructure.RoutingFlowServer.Value(metrics, "tcp_monitor_packet_loss_gap_count", "interface=\"wan0\",nic=\"wan0\""));
        Assert.NotNull(Infrastructure.RoutingFlowServer.Value(metrics, "tcp_monitor_current_window_size", "interface=\"wan0\",nic=\"wan0\""));
        Assert.Matches(@"tcp wan0: \d+ pkt/s, missing", server.Output); // the one-line summary

        using var flows = System.Text.Json.JsonDocument.Parse(await server.Http.GetStringAsync("api/tcp/flows?top=3&sort=loss"));
        var worst = flows.RootElement.GetProperty("flows")[0];
        Assert.Equal((NamespaceLab.H1, NamespaceLab.Server, 5201), (worst.GetProperty("client").GetString(), worst.GetProperty("server").GetString(), worst.GetProperty("serverPort").GetInt32()));
        Assert.True(worst.GetProperty("missing").GetInt32() > 0);
        var bad = await server.Http.GetAsync("api/tcp/flows?sort=fastest");
        await Infrastructure.Problems.AssertAsync(bad, System.Net.HttpStatusCode.BadRequest, "sort", "sort 'fastest'");

        // The dashboard's TCP page in a real browser: the capture's counts and the lossy flow at the top.
        await using var browser = await Infrastructure.PlaywrightBrowser.LaunchAsync(NamespaceLab.RouterAddress);
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(server.Http.BaseAddress + "tcp");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("[data-testid=tcp-wan0] [data-testid=tcp-missing]"))
            .ToContainTextAsync(w.GetProperty("missing").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Microsoft.Playwright.Assertions.Expect(page.Locator("[data-testid=tcp-flow]").First).ToContainTextAsync(NamespaceLab.H1, new() { Timeout = 20_000 });
        await Microsoft.Playwright.Assertions.Expect(page.Locator("[data-testid=tcp-wan0] [data-testid=tcp-chart] path.rf-line")).ToHaveCountAsync(5);
        await Infrastructure.PlaywrightBrowser.ScreenshotAsync(page, "tcp");
    }

    private const string NicJson = """{"nics":[{"name":"wan0","interface":"wan0"},{"name":"wan1","interface":"wan1"}]}""";

    private static async Task<System.Text.Json.JsonElement> SummaryAsync(Infrastructure.RoutingFlowServer server)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(await server.Http.GetStringAsync("api/tcp/summary"));
        return doc.RootElement.Clone();
    }

    private static System.Text.Json.JsonElement? Wan0(System.Text.Json.JsonElement summary) =>
        summary.GetProperty("interfaces").EnumerateArray().Where(i => i.GetProperty("interface").GetString() == "wan0")
            .Select(i => (System.Text.Json.JsonElement?)i).FirstOrDefault();

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
        var ours = OfflineAnalyzerTcp(count, tcp);
        var wireshark = await TsharkTcpExpert.ReadAsync(pcap);
        output.WriteLine($"ours: packets {ours.Packets}, missing {ours.Missing}, duplicate {ours.Duplicate}, outOfOrder {ours.OutOfOrder}, zeroWindow {ours.ZeroWindow}, keep-alives {ours.KeepAlives}");
        output.WriteLine($"wireshark: {wireshark}");
        return (ours, wireshark);
    }

    private static TcpReport OfflineAnalyzerTcp(EndpointCount count, TcpAnalyzer tcp) =>
        new OfflineAnalyzer(new RoutingFlow.Capture.Addressing.NetworkSet([]), new RoutingFlow.Capture.Mapping.NicMap(["wan0"], "wan0", [], 1)).Report(count, tcp).Tcp!;

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
