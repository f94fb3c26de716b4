using System.Globalization;
using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Oracles;
using RoutingFlow.Testing.Processes;
using RoutingFlow.Testing.Waiting;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// DNS inspection against tshark: dnsmasq in the lab's inet answers A for lab.test, NXDOMAIN for nx.lab.test and
/// REFUSED for everything else (it has no upstream); h1 asks it 40 questions with dig
/// while tcpdump records the router's wan0. <c>analyze</c>'s <c>protocols.dns</c> must count the queries, responses
/// and error codes tshark finds, and its latency mean, median and 95th percentile must be within 1 ms of tshark's
/// <c>dns.time</c> over the same responses. The A answers name their addresses: <c>analyze</c>'s names are the
/// (dns.a, dns.qry.name) pairs tshark reads, and once h1 has looked up its own name, the dashboard's top-IP table
/// shows that name beside h1's address.
/// </summary>
public sealed class LabDnsTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-labdns-").FullName;

    [RootFact]
    public async Task Analyze_DnsCountsAndLatency_AgreeWithTshark()
    {
        await using var lab = await NamespaceLab.StartAsync("400mbit", "400mbit");
        var dnsmasq = lab.Start("inet", "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--bind-interfaces",
            $"--listen-address={NamespaceLab.Server}", "--address=/lab.test/192.0.2.55", "--address=/nx.lab.test/", $"--address=/h1.lab.test/{NamespaceLab.H1}", "--local-ttl=300",
            "--pid-file=", "--log-facility=-");
        await Eventually.WaitAsync(async () => dnsmasq.HasExited ? throw new InvalidOperationException("dnsmasq exited: " + dnsmasq.Output)
            : (await lab.ExecAsync("inet", "ss", "-lun")).StandardOutput.Contains($"{NamespaceLab.Server}:53", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "dnsmasq to listen");
        await using var server = await RoutingFlowServer.StartAsync("""{"nics":[{"name":"wan0","interface":"wan0"}]}""", [],
            listen: NamespaceLab.RouterAddress, lab: lab);
        await Eventually.WaitAsync(async () => (await server.Http.GetStringAsync("status")).Contains("\"state\":\"running\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "wan0's capture to run");
        var pcap = Path.Combine(_dir, "dns.pcap");
        var dump = lab.Start("router", "tcpdump", "-n", "-U", "--immediate-mode", "-i", "wan0", "-s", "128", "-w", pcap, "udp port 53");
        await Eventually.WaitAsync(() => Task.FromResult(dump.Output.Contains("listening on", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "tcpdump to listen");

        string[][] questions = [["a.lab.test", "A"], ["b.lab.test", "AAAA"], ["c.lab.test", "MX"], ["x.nx.lab.test", "A"], ["other.example", "A"]];
        // Each question from its own source port (dig picks one at random and may pick the same twice, which would make
        // one UDP stream of two questions for tshark and for us alike): 40 questions, 40 streams, every run.
        for (var round = 0; round < 8; round++)
        {
            for (var i = 0; i < questions.Length; i++)
            {
                var q = questions[i];
                var port = 20_000 + (round * questions.Length) + i;
                var dig = await lab.ExecAsync("h1", "dig", $"@{NamespaceLab.Server}", "-b", $"{NamespaceLab.H1}#{port}", "+tries=1", "+time=2", q[0], q[1]);
                Assert.True(dig.ExitCode == 0, dig.StandardOutput + dig.StandardError);
            }
        }
        await dump.InterruptAsync(TimeSpan.FromSeconds(10));

        var analysis = await RoutingFlowProcess.RunAsync("analyze", pcap, "--no-progress");
        Assert.True(analysis.ExitCode == 0, analysis.StandardError);
        using var report = JsonDocument.Parse(analysis.StandardOutput);
        var dns = report.RootElement.GetProperty("protocols").GetProperty("dns");
        output.WriteLine($"ours: {dns}");
        var tshark = await TsharkAsync(pcap);
        output.WriteLine($"tshark: {tshark.Queries} queries, {tshark.Responses} responses, rcodes {string.Join(", ", tshark.Rcodes)}, " +
            $"dns.time mean {tshark.Times.Average():F6} p50 {Percentiles.Rank(tshark.Times, 0.5):F6} p95 {Percentiles.Rank(tshark.Times, 0.95):F6}");

        Assert.Equal((40L, 40L), (tshark.Queries, tshark.Responses)); // what the test did
        Assert.Equal(tshark.Queries, dns.GetProperty("queries").GetInt64());
        Assert.Equal(tshark.Responses, dns.GetProperty("responses").GetInt64());
        Assert.Equal(0, dns.GetProperty("unanswered").GetInt64());
        var errors = dns.GetProperty("errors");
        Assert.Equal(tshark.Rcodes.GetValueOrDefault(3), errors.GetProperty("NXDOMAIN").GetInt64());
        Assert.Equal(tshark.Rcodes.GetValueOrDefault(5), errors.GetProperty("REFUSED").GetInt64());
        // a.lab.test answers; dnsmasq, with no upstream, refuses the other types for lab.test as well as other.example.
        Assert.Equal((8L, 8L, 24L), (tshark.Rcodes.GetValueOrDefault(0), tshark.Rcodes.GetValueOrDefault(3), tshark.Rcodes.GetValueOrDefault(5)));
        var a = dns.GetProperty("types").EnumerateArray().Single(t => t.GetProperty("type").GetString() == "A");
        Assert.Equal(24, a.GetProperty("queries").GetInt64()); // three A questions a round
        var latency = dns.GetProperty("latencySeconds");
        Assert.Equal(tshark.Times.Count, latency.GetProperty("count").GetInt64());
        Assert.InRange(latency.GetProperty("mean").GetDouble() - tshark.Times.Average(), -0.001, 0.001);
        Assert.InRange(latency.GetProperty("p50").GetDouble() - Percentiles.Rank(tshark.Times, 0.5), -0.001, 0.001);
        Assert.InRange(latency.GetProperty("p95").GetDouble() - Percentiles.Rank(tshark.Times, 0.95), -0.001, 0.001);
        var udp = report.RootElement.GetProperty("connections").GetProperty("udp");
        Assert.Equal((tshark.UdpStreams, tshark.UdpStreams), (udp.GetProperty("flows").GetInt64(), udp.GetProperty("answered").GetInt64())); // dig: a port per question
        Assert.Equal(40, tshark.UdpStreams); // a source port per question
        var mix = report.RootElement.GetProperty("protocols").GetProperty("mix").EnumerateArray().Single(m => m.GetProperty("protocol").GetString() == "dns");
        Assert.Equal(80, mix.GetProperty("packets").GetInt64());
        var names = report.RootElement.GetProperty("protocols").GetProperty("names").EnumerateArray()
            .Select(n => (n.GetProperty("address").GetString(), n.GetProperty("name").GetString())).ToList();
        Assert.Equal(tshark.Answers, names);
        Assert.Equal([("192.0.2.55", "a.lab.test")], tshark.Answers);

        // The server inspected the same traffic live on wan0: the same counts on the API and /metrics, and the page.
        var live = await Eventually.WaitAsync<object>(async () =>
        {
            using var doc = JsonDocument.Parse(await server.Http.GetStringAsync("api/network/protocols"));
            var wan0 = doc.RootElement.GetProperty("captures").EnumerateArray().FirstOrDefault(c => c.GetProperty("interface").GetString() == "wan0");
            return wan0.ValueKind == JsonValueKind.Object && wan0.GetProperty("protocols").GetProperty("dns").GetProperty("responses").GetInt64() >= 40
                ? wan0.GetProperty("protocols").Clone() : null;
        }, TimeSpan.FromSeconds(20), "the server to count the lookups") is JsonElement e ? e : default;
        Assert.Equal((40L, 40L), (live.GetProperty("dns").GetProperty("queries").GetInt64(), live.GetProperty("dns").GetProperty("responses").GetInt64()));
        Assert.Equal(40, live.GetProperty("dns").GetProperty("latencySeconds").GetProperty("count").GetInt64());
        Assert.Equal(8, live.GetProperty("dns").GetProperty("errors").GetProperty("NXDOMAIN").GetInt64());
        var metrics = await server.MetricsAsync();
        Assert.Equal(8, RoutingFlowServer.Value(metrics, "routingflow_protocol_errors_total", "interface=\"wan0\",protocol=\"dns\",type=\"NXDOMAIN\""));
        Assert.Equal(24, RoutingFlowServer.Value(metrics, "routingflow_protocol_messages_total", "interface=\"wan0\",protocol=\"dns\",type=\"query\",record=\"A\""));
        Assert.True(RoutingFlowServer.Value(metrics, "routingflow_protocol_latency_seconds", "interface=\"wan0\",protocol=\"dns\",stat=\"p50\"") > 0);
        await using var browser = await PlaywrightBrowser.LaunchAsync(NamespaceLab.RouterAddress);
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(server.Http.BaseAddress + "network");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("[data-testid=dns-wan0] [data-testid=queries]")).ToHaveTextAsync("40");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("[data-testid=dns-wan0] [data-testid=errors]")).ToContainTextAsync("NXDOMAIN 8");
        await PlaywrightBrowser.ScreenshotAsync(page, "network-dns");

        // h1 asks for its own name (the answer crosses wan0), then sends traffic: the top-IP table names it.
        var own = await lab.ExecAsync("h1", "dig", $"@{NamespaceLab.Server}", "+tries=1", "+time=2", "h1.lab.test", "A");
        Assert.True(own.ExitCode == 0 && own.StandardOutput.Contains(NamespaceLab.H1, StringComparison.Ordinal), own.StandardOutput);
        var ping = lab.Start("h1", "ping", "-i", "0.2", "-s", "1000", NamespaceLab.Server);
        await page.GotoAsync(server.Http.BaseAddress!.ToString());
        await Microsoft.Playwright.Assertions.Expect(page.Locator("[data-testid=ip-row]", new() { HasText = NamespaceLab.H1 }).Locator("[data-testid=ip-name]"))
            .ToHaveTextAsync("h1.lab.test", new() { Timeout = 20_000 });
        await PlaywrightBrowser.ScreenshotAsync(page, "top-ips-named");
        await ping.InterruptAsync(TimeSpan.FromSeconds(5));
    }

    private sealed record TsharkDns(long Queries, long Responses, Dictionary<int, long> Rcodes, List<double> Times, long UdpStreams,
        List<(string?, string?)> Answers);

    private static async Task<TsharkDns> TsharkAsync(string pcap)
    {
        var result = await ProcessRunner.RunAsync("tshark", ["-n", "-r", pcap, "-Y", "dns", "-T", "fields", "-E", "separator=|", "-e", "dns.flags.response",
            "-e", "dns.flags.rcode", "-e", "dns.time", "-e", "udp.stream", "-e", "dns.qry.name", "-e", "dns.a"], TimeSpan.FromMinutes(2));
        Assert.Equal(0, result.ExitCode);
        long queries = 0, responses = 0;
        var rcodes = new Dictionary<int, long>();
        var times = new List<double>();
        var streams = new HashSet<string>();
        var answers = new SortedSet<(string?, string?)>();
        foreach (var f in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')))
        {
            streams.Add(f[3]);
            if (f[0] is not ("1" or "True"))
            {
                queries++;
                continue;
            }
            responses++;
            foreach (var address in f[5].Split(',', StringSplitOptions.RemoveEmptyEntries))
                answers.Add((address, f[4].ToLowerInvariant()));
            var rcode = int.Parse(f[1], CultureInfo.InvariantCulture);
            rcodes[rcode] = rcodes.GetValueOrDefault(rcode) + 1;
            if (f[2].Length > 0)
                times.Add(double.Parse(f[2], CultureInfo.InvariantCulture));
        }
        return new TsharkDns(queries, responses, rcodes, times, streams.Count, [.. answers]);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
