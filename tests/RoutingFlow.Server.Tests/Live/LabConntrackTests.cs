using System.Globalization;
using System.Text.Json;
using RoutingFlow.Server.Capture;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Oracles;
using RoutingFlow.Testing.Processes;
using RoutingFlow.Testing.Waiting;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// The lab as a real multi-WAN NAT router (<c>lab.sh nat</c>): MASQUERADE on both WANs, ISPs that reach only the WAN
/// addresses, every new connection marked 0x100 or 0x200 in turn (CONNMARK, <c>-m statistic --mode nth</c>) and
/// routed by its mark, IPv6 balanced the same way without NAT. No mapping is configured: the server must find each
/// connection's WAN and host in the kernel's connection tracking. h1 downloads over four paced streams (which the
/// router splits across both WANs), h2 over one IPv4 stream and two IPv6 streams. The truth per (host, WAN) is
/// tshark's bytes per conversation on each WAN's recording over the steady part of the run, mapped back to the LAN
/// host by <c>conntrack -L</c>'s tuples.
/// </summary>
public sealed class LabConntrackTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 0.05;
    private const int Seconds = 24;

    /// <summary>
    /// The servers' rate window: iperf3's paced streams catch up after a stall (its -b is an average since the start),
    /// so a 5 s window can sit a few percent off a 16 s truth; 10 s windows average that out.
    /// </summary>
    private const string RateWindow = "--RoutingFlow:Capture:RateWindow=00:00:10";

    /// <summary>Past the start and one rate window: the first sample's window begins where the truth's does (4 s in).</summary>
    private static readonly TimeSpan SampleAfter = TimeSpan.FromSeconds(14.5);
    private const string NicJson = """{"nics":[{"name":"wan0","interface":"wan0"},{"name":"wan1","interface":"wan1"}]}""";
    private static readonly string[] Remotes = [NamespaceLab.Server, NamespaceLab.Server6];
    private static readonly string[] Wans = ["wan0", "wan1"];
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-labct-").FullName;

    /// <summary>The test's TCP connections (to the iperf3 ports) per WAN, as conntrack -L showed them after the run.</summary>
    private Dictionary<string, int> _tcpPerWan = [];

    /// <param name="backend">With <c>ebpf</c> the kernel counts the devices, but the frames still count the hosts: conntrack
    /// attribution needs each connection's ports, which the kernel's host map does not have (by the map alone every host
    /// would be one WAN's).</param>
    [RootTheory]
    [InlineData("pcap")]
    [InlineData("ebpf")]
    public async Task LanCapture_NoMapping_EachConnectionOnItsWan_WithinFivePercentOfTshark(string backend)
    {
        await using var lab = await StartNatLabAsync();
        await using var server = await RoutingFlowServer.StartAsync(NicJson,
            ["--RoutingFlow:Capture:Interfaces:0:Name=lan0", "--RoutingFlow:Capture:Interfaces:0:Role=lan", RateWindow, $"--RoutingFlow:Capture:Backend={backend}"],
            listen: NamespaceLab.RouterAddress, lab: lab);
        var capture = (await server.StatusAsync()).GetProperty("captures")[0];
        Assert.Equal("pcap", capture.GetProperty("backend").GetString());
        Assert.Equal(backend == "ebpf" ? CaptureSession.ConntrackCountsFrames : null, capture.GetProperty("backendNote").GetString());
        var sources = await RunAndCompareAsync(lab, server, dashboard: backend == "pcap");
        // IPv4 is decided by the NAT address on both WANs; IPv6 (no NAT, no mark rules configured) by the kernel's route for its mark.
        Assert.True(sources[("wan0", "nat")] > 0 && sources[("wan1", "nat")] > 0, "NAT decides IPv4 on both WANs");
        Assert.True(sources[("wan0", "route")] + sources[("wan1", "route")] > 0, "the route with the connection's mark decides IPv6");
        Assert.Equal(0, sources[("wan0", "mark")] + sources[("wan1", "mark")]);
        // The TCP analysis counts each handshake on its connection's WAN too (by the mapping alone all would be wan0's).
        var metrics = await server.MetricsAsync();
        var attempts = Wans.Select(w => RoutingFlowServer.Value(metrics, "routingflow_connections_attempts_total", $"interface=\"lan0\",nic=\"{w}\"") ?? 0).ToList();
        output.WriteLine($"handshakes: wan0 {attempts[0]}, wan1 {attempts[1]}; conntrack -L: wan0 {_tcpPerWan.GetValueOrDefault("wan0")}, wan1 {_tcpPerWan.GetValueOrDefault("wan1")}");
        Assert.Equal((double)_tcpPerWan.GetValueOrDefault("wan0"), attempts[0]);
        Assert.Equal((double)_tcpPerWan.GetValueOrDefault("wan1"), attempts[1]);
    }

    [RootFact]
    public async Task WanCapturesOnly_BehindNat_NameTheLanHosts_AndMarkRulesDecideIpv6()
    {
        await using var lab = await StartNatLabAsync();
        await lab.ExecAsync("router", "sysctl", "-qw", "net.netfilter.nf_conntrack_events=0"); // the server turns them on
        await using var server = await RoutingFlowServer.StartAsync(NicJson,
        [
            "--RoutingFlow:Mapping:Conntrack:Mode=on", RateWindow,
            "--RoutingFlow:Mapping:Conntrack:Marks:0:Mark=0x100", "--RoutingFlow:Mapping:Conntrack:Marks:0:Mask=0xff00", "--RoutingFlow:Mapping:Conntrack:Marks:0:Nic=wan0",
            "--RoutingFlow:Mapping:Conntrack:Marks:1:Mark=0x200", "--RoutingFlow:Mapping:Conntrack:Marks:1:Mask=0xff00", "--RoutingFlow:Mapping:Conntrack:Marks:1:Nic=wan1",
        ], listen: NamespaceLab.RouterAddress, lab: lab);
        var sources = await RunAndCompareAsync(lab, server);
        Assert.True(sources[("wan0", "nat")] > 0 && sources[("wan1", "nat")] > 0, "NAT names the LAN host behind both WANs");
        Assert.True(sources[("wan0", "mark")] + sources[("wan1", "mark")] > 0, "a mark rule decides IPv6");
        Assert.Equal(0, sources[("wan0", "route")] + sources[("wan1", "route")]); // the mark rules come first
        Assert.Equal("1", (await lab.ExecAsync("router", "sysctl", "-n", "net.netfilter.nf_conntrack_events")).StandardOutput.Trim());
        Assert.Equal(JsonValueKind.Null, (await server.StatusAsync()).GetProperty("mapping").GetProperty("conntrack").GetProperty("warning").ValueKind);
    }

    /// <summary>No capture at all: the rates come from the connections' kernel counters, which the server turns on.</summary>
    [RootFact]
    public async Task ConntrackBackend_NoCapture_RatesFromTheConnectionCounters_WithinFivePercentOfTshark()
    {
        await using var lab = await StartNatLabAsync();
        // The kernel's counters grow by whole GRO'd super-packets (64 KB, a fifth of a second of a 3 Mbit/s stream) read
        // once a second: the 10 s rate window keeps that granularity inside the tolerance too.
        await using var server = await RoutingFlowServer.StartAsync(NicJson, ["--RoutingFlow:Capture:Backend=conntrack", RateWindow],
            listen: NamespaceLab.RouterAddress, lab: lab);
        var sources = await RunAndCompareAsync(lab, server);
        Assert.True(sources[("wan0", "nat")] > 0 && sources[("wan1", "nat")] > 0, "NAT decides IPv4 on both WANs");
        Assert.True(sources[("wan0", "route")] + sources[("wan1", "route")] > 0, "the route decides IPv6");
        var status = await server.StatusAsync();
        Assert.Empty(status.GetProperty("captures").EnumerateArray());
        var conntrack = status.GetProperty("mapping").GetProperty("conntrack");
        Assert.Equal("conntrack", conntrack.GetProperty("backend").GetString());
        Assert.StartsWith("on", conntrack.GetProperty("accounting").GetString(), StringComparison.Ordinal);
        Assert.Equal("1", (await lab.ExecAsync("router", "sysctl", "-n", "net.netfilter.nf_conntrack_acct")).StandardOutput.Trim());
    }

    /// <summary>Without CAP_NET_ADMIN the table cannot be read: with Mode=on that is a visible failure with the fix, and the capture keeps counting by the mapping.</summary>
    [RootFact]
    public async Task ModeOn_WithoutCapNetAdmin_ReportsTheReasonAndFix_AndTheMappingCounts()
    {
        await using var server = await RoutingFlowServer.StartAsync("""{"nics":[{"name":"wan0","interface":"lo"}]}""",
            ["--RoutingFlow:Mapping:Conntrack:Mode=on", "--RoutingFlow:Capture:LocalNetworks:0=127.0.0.0/8"],
            wrapper: ["capsh", "--drop=cap_net_admin", "--", "-c", "exec \"$0\" \"$@\""]);
        var conntrack = await Eventually.WaitAsync<object>(async () =>
            (await server.StatusAsync()).GetProperty("mapping").GetProperty("conntrack") is var c && c.GetProperty("state").GetString() == "failed" ? c.Clone() : null,
            TimeSpan.FromSeconds(20), "conntrack to fail") is JsonElement e ? e : default;
        output.WriteLine(conntrack.ToString());
        Assert.Contains("permission missing", conntrack.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("CAP_NET_ADMIN", conntrack.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Contains("Conntrack attribution failed", server.Output, StringComparison.Ordinal);
        await server.Http.GetStringAsync("healthz");
        // The capture of lo keeps counting without conntrack: its packets are the router's own (unattributed) or the mapping's.
        var packets = await Eventually.WaitAsync<object>(async () =>
        {
            var metrics = await server.MetricsAsync();
            var sum = (RoutingFlowServer.Value(metrics, "routingflow_attribution_packets_total", "nic=\"wan0\",source=\"map\"") ?? 0)
                + (RoutingFlowServer.Value(metrics, "routingflow_attribution_packets_total", "nic=\"wan0\",source=\"unattributed\"") ?? 0);
            return sum > 0 ? sum : null;
        }, TimeSpan.FromSeconds(20), "the capture of lo to count without conntrack");
        Assert.True((double)packets > 0);
        Assert.Equal(0, RoutingFlowServer.Value(await server.MetricsAsync(), "routingflow_conntrack_up", ""));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<NamespaceLab> StartNatLabAsync()
    {
        var lab = await NamespaceLab.StartAsync("50mbit", "50mbit");
        try
        {
            await lab.NatAsync();
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the downloads, compares the server's live rates with the truth; returns the attribution counts by (WAN, source).</summary>
    /// <param name="dashboard">Also read the rates, the attribution state and the shares off the dashboard in real Chromium, and /status' top IPs.</param>
    private async Task<Dictionary<(string, string), double>> RunAndCompareAsync(NamespaceLab lab, RoutingFlowServer server, bool dashboard = false)
    {
        await using var browser = dashboard ? await PlaywrightBrowser.LaunchAsync(NamespaceLab.RouterAddress) : null;
        await Eventually.WaitAsync(async () => await StatusReadyAsync(server), TimeSpan.FromSeconds(30), "captures and conntrack running");
        var recordings = new Dictionary<string, (BackgroundProcess Dump, string File)>();
        foreach (var wan in new[] { "wan0", "wan1" })
        {
            var file = Path.Combine(_dir, $"{wan}.pcap");
            recordings[wan] = (lab.Start("router", "tcpdump", "-n", "-U", "--immediate-mode", "-i", wan, "-s", "96", "-w", file, "tcp or udp"), file);
        }
        foreach (var (dump, _) in recordings.Values)
            await Eventually.WaitAsync(() => Task.FromResult(dump.Output.Contains("listening on", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "tcpdump to listen");
        foreach (var port in new[] { "5201", "5202", "5203" })
            lab.Start("inet", "iperf3", "-s", "-p", port);
        await Eventually.WaitAsync(async () => (await lab.ExecAsync("inet", "ss", "-ltn")).StandardOutput.Contains(":5203", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "iperf3 servers listening");

        var started = DateTimeOffset.UtcNow;
        var t = Seconds.ToString(CultureInfo.InvariantCulture);
        var clients = new[]
        {
            lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-R", "-P", "4", "-b", "6M", "-t", t),
            lab.Iperf3Async("h2", "-c", NamespaceLab.Server, "-p", "5202", "-R", "-b", "8M", "-t", t),
            lab.Iperf3Async("h2", "-6", "-c", NamespaceLab.Server6, "-p", "5203", "-R", "-P", "2", "-b", "3M", "-t", t),
        };
        await Task.Delay(SampleAfter);
        var samples = new List<Dictionary<(string, string), double>>();
        for (var i = 0; i < 3; i++)
        {
            samples.Add(Rates(await server.MetricsAsync()));
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }
        var page = browser is null ? null : await OpenDashboardAsync(browser, server);
        var statusTotals = WanTotals(await server.StatusAsync());
        var table = (await lab.ExecAsync("router", "conntrack", "-L")).StandardOutput; // before the connections expire
        var metrics = await server.MetricsAsync();
        var status = await server.StatusAsync();
        foreach (var client in clients)
        {
            var result = await client;
            Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        }
        foreach (var (dump, _) in recordings.Values)
            await dump.InterruptAsync(TimeSpan.FromSeconds(10));

        var connections = ConntrackOracle.Parse(table);
        _tcpPerWan = connections.Where(c => c.Protocol == "tcp" && c.Original.DstPort is >= 5201 and <= 5203).GroupBy(WanOf).ToDictionary(g => g.Key, g => g.Count());
        var truth = await TruthAsync(recordings.ToDictionary(r => r.Key, r => r.Value.File), connections, started);
        Compare(truth, samples);
        foreach (var (wan, bps) in statusTotals)
        {
            var expected = truth.Where(t => t.Key.Item1 == wan).Sum(t => t.Value);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"/status {wan} rx {bps / 1e6:F3} Mbit/s, truth {expected / 1e6:F3}"));
            Assert.InRange(bps, expected * (1 - Tolerance), expected * (1 + Tolerance));
        }
        if (page is not null)
            Compare(truth, [page], "the dashboard");
        var conntrack = status.GetProperty("mapping").GetProperty("conntrack");
        output.WriteLine(conntrack.ToString());
        Assert.Equal("running", conntrack.GetProperty("state").GetString());
        Assert.True(conntrack.GetProperty("entries").GetInt32() >= 7, "the table holds the test's connections");
        return Sources(metrics);
    }

    /// <summary>The WAN a connection left by: its NAT address (IPv4), else its mark (IPv6: 0x100 wan0, 0x200 wan1, as lab.sh nat routes them).</summary>
    private static string WanOf(ConntrackListEntry c) => c.Reply.Dst switch
    {
        "198.51.100.2" => "wan0",
        "203.0.113.2" => "wan1",
        _ => (c.Mark & 0xff00) == 0x100 ? "wan0" : "wan1",
    };

    private static async Task<bool> StatusReadyAsync(RoutingFlowServer server)
    {
        var status = await server.StatusAsync();
        return status.GetProperty("captures").EnumerateArray().All(c => c.GetProperty("state").GetString() == "running")
            && status.GetProperty("mapping").GetProperty("conntrack").GetProperty("state").GetString() == "running";
    }

    /// <summary>Download bits per second per (WAN, LAN host) over the steady part of the run (its 4th second to 2 s before its end).</summary>
    private async Task<Dictionary<(string, string), double>> TruthAsync(Dictionary<string, string> recordings, IReadOnlyList<ConntrackListEntry> table, DateTimeOffset started)
    {
        var from = started.AddSeconds(4).ToUnixTimeMilliseconds() / 1000.0;
        var to = started.AddSeconds(Seconds - 2).ToUnixTimeMilliseconds() / 1000.0;
        var window = string.Create(CultureInfo.InvariantCulture, $"frame.time_epoch >= {from:F3} && frame.time_epoch < {to:F3}");
        var truth = new Dictionary<(string, string), double>();
        foreach (var (wan, file) in recordings)
        {
            foreach (var c in await TsharkConversations.ReadAsync(file, window))
            {
                var remoteIsA = Remotes.Contains(c.AddressA);
                var (remote, remotePort, local, localPort) = remoteIsA ? (c.AddressA, c.PortA, c.AddressB, c.PortB) : (c.AddressB, c.PortB, c.AddressA, c.PortA);
                var entry = table.FirstOrDefault(e => e.Reply.Src == remote && e.Reply.SrcPort == remotePort && e.Reply.Dst == local && e.Reply.DstPort == localPort);
                Assert.True(entry is not null, $"conntrack -L has the connection of {c.AddressA}:{c.PortA} <-> {c.AddressB}:{c.PortB} on {wan}");
                var key = (wan, entry!.Original.Src);
                truth[key] = truth.GetValueOrDefault(key) + ((remoteIsA ? c.BytesAtoB : c.BytesBtoA) * 8.0 / (to - from));
            }
        }
        foreach (var ((wan, host), bps) in truth.OrderBy(p => p.Key))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"truth {wan} {host}: {bps / 1e6:F3} Mbit/s"));
        Assert.True(truth.Keys.Select(k => k.Item1).Distinct().Count() == 2, "the router balanced the connections over both WANs");
        return truth;
    }

    private void Compare(Dictionary<(string, string), double> truth, List<Dictionary<(string, string), double>> samples, string what = "/metrics")
    {
        foreach (var sample in samples)
        {
            output.WriteLine(what + ": " + string.Join(", ", sample.OrderBy(p => p.Key).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value / 1e6:F3}"))));
            foreach (var (key, expected) in truth.Where(p => p.Value > 1e6))
                Assert.InRange(sample.GetValueOrDefault(key), expected * (1 - Tolerance), expected * (1 + Tolerance));
            foreach (var (key, value) in sample.Where(p => truth.GetValueOrDefault(p.Key) <= 1e6))
                Assert.True(value < 0.2e6, $"{key} carries {value / 1e6:F3} Mbit/s in the server but no download in the truth");
        }
    }

    /// <summary>The home page: conntrack running with NAT among wan0's sources, and each WAN card's rx per LAN host (as the page formats it, three digits).</summary>
    private async Task<Dictionary<(string, string), double>> OpenDashboardAsync(PlaywrightBrowser browser, RoutingFlowServer server)
    {
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(server.Http.BaseAddress!.ToString());
        await Microsoft.Playwright.Assertions.Expect(page.Locator("[data-testid=attribution-state]")).ToHaveTextAsync("conntrack running", new() { Timeout = 20_000 });
        await Microsoft.Playwright.Assertions.Expect(page.Locator("[data-testid=attribution-wan0] [data-testid=share-nat]")).ToBeVisibleAsync();
        var rates = new Dictionary<(string, string), double>();
        foreach (var wan in new[] { "wan0", "wan1" })
        {
            foreach (var row in await page.Locator($"[data-testid=wan-{wan}] [data-testid=ip-row]").AllAsync())
            {
                var cells = await row.Locator("td").AllInnerTextsAsync();
                var ip = cells[0].Split('\n')[0].Trim();
                if (new[] { NamespaceLab.H1, NamespaceLab.H2, NamespaceLab.H1v6, NamespaceLab.H2v6 }.Contains(ip))
                    rates[(wan, ip)] = ParseRate(cells[1]);
            }
        }
        await PlaywrightBrowser.ScreenshotAsync(page, "conntrack-attribution");
        return rates;
    }

    private static double ParseRate(string text)
    {
        var parts = text.Trim().Split(' ');
        var value = double.Parse(parts[0], CultureInfo.InvariantCulture);
        return parts[1] switch { "Gbit/s" => value * 1e9, "Mbit/s" => value * 1e6, "kbit/s" => value * 1e3, _ => value };
    }

    /// <summary>/status' receive rate of each WAN (all its hosts).</summary>
    private static Dictionary<string, double> WanTotals(JsonElement status) =>
        status.GetProperty("nics").EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!, n => n.GetProperty("rxBps").GetDouble());

    /// <summary>The download rates network_ip_rx_bps{nic,ip} of the lab's LAN hosts.</summary>
    private static Dictionary<(string, string), double> Rates(string metrics)
    {
        var rates = new Dictionary<(string, string), double>();
        foreach (var wan in new[] { "wan0", "wan1" })
        {
            foreach (var host in new[] { NamespaceLab.H1, NamespaceLab.H2, NamespaceLab.H1v6, NamespaceLab.H2v6 })
            {
                if (RoutingFlowServer.Value(metrics, "network_ip_rx_bps", $"nic=\"{wan}\",ip=\"{host}\"") is { } v)
                    rates[(wan, host)] = v;
            }
        }
        return rates;
    }

    private static Dictionary<(string, string), double> Sources(string metrics)
    {
        var sources = new Dictionary<(string, string), double>();
        foreach (var wan in new[] { "wan0", "wan1" })
        {
            foreach (var source in new[] { "nat", "mark", "route", "map", "unattributed" })
                sources[(wan, source)] = RoutingFlowServer.Value(metrics, "routingflow_attribution_packets_total", $"nic=\"{wan}\",source=\"{source}\"") ?? 0;
        }
        return sources;
    }
}
