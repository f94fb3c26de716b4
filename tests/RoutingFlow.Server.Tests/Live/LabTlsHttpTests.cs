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
/// TLS and HTTP inspection against tshark: the lab's inet runs <c>openssl s_server</c> on 443 and Python's
/// http.server on 80; h1 makes TLS 1.3 and TLS 1.2 connections with curl under three server names and HTTP requests
/// that get 200 and 404, while tcpdump records the router's wan0. <c>analyze</c> must count the ClientHellos,
/// ServerHellos, server names, versions, requests and responses tshark dissects, and its ClientHello → ServerHello
/// and request → response latency must be within 1 ms of tshark's frame times; the server, inspecting wan0 live,
/// must show the same on the API, /metrics and the network page, and name inet's address by the last server name.
/// </summary>
public sealed class LabTlsHttpTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-labtls-").FullName;

    [RootFact]
    public async Task Analyze_TlsAndHttp_AgreeWithTshark_AndTheServerShowsThemLive()
    {
        await using var lab = await NamespaceLab.StartAsync("400mbit", "400mbit");
        var (key, cert) = (Path.Combine(_dir, "key.pem"), Path.Combine(_dir, "cert.pem"));
        var req = await ProcessRunner.RunAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=lab.test"], TimeSpan.FromMinutes(1));
        Assert.True(req.ExitCode == 0, req.StandardError);
        var www = Directory.CreateDirectory(Path.Combine(_dir, "www")).FullName;
        await File.WriteAllTextAsync(Path.Combine(www, "index.html"), "hello");
        var tls = lab.Start("inet", "openssl", "s_server", "-quiet", "-accept", $"{NamespaceLab.Server}:443", "-cert", cert, "-key", key, "-www");
        var http = lab.Start("inet", "python3", "-m", "http.server", "80", "--bind", NamespaceLab.Server, "--directory", www);
        await Eventually.WaitAsync(async () => tls.HasExited || http.HasExited ? throw new InvalidOperationException("a server exited: " + tls.Output + http.Output)
            : (await lab.ExecAsync("inet", "ss", "-ltn")).StandardOutput is var ss && ss.Contains($"{NamespaceLab.Server}:443", StringComparison.Ordinal)
                && ss.Contains($"{NamespaceLab.Server}:80", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "openssl and http.server to listen");
        await using var server = await RoutingFlowServer.StartAsync("""{"nics":[{"name":"wan0","interface":"wan0"}]}""", [],
            listen: NamespaceLab.RouterAddress, lab: lab);
        await Eventually.WaitAsync(async () => (await server.Http.GetStringAsync("status")).Contains("\"state\":\"running\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "wan0's capture to run");
        var pcap = Path.Combine(_dir, "tls.pcap");
        var dump = lab.Start("router", "tcpdump", "-n", "-U", "--immediate-mode", "-i", "wan0", "-w", pcap, "tcp port 443 or tcp port 80");
        await Eventually.WaitAsync(() => Task.FromResult(dump.Output.Contains("listening on", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "tcpdump to listen");

        string[] names = ["shop.lab.test", "mail.lab.test", "cdn.lab.test"];
        for (var round = 0; round < 4; round++)
        {
            foreach (var name in names)
                await CurlAsync(lab, "-k", "--resolve", $"{name}:443:{NamespaceLab.Server}", $"https://{name}/");
            await CurlAsync(lab, "-k", "--tls-max", "1.2", "--resolve", $"old.lab.test:443:{NamespaceLab.Server}", "https://old.lab.test/");
            await CurlAsync(lab, $"http://{NamespaceLab.Server}/index.html");
            await CurlAsync(lab, $"http://{NamespaceLab.Server}/missing");
        }
        await CurlAsync(lab, "-k", "--resolve", $"last.lab.test:443:{NamespaceLab.Server}", "https://last.lab.test/");
        await dump.InterruptAsync(TimeSpan.FromSeconds(10));

        var analysis = await RoutingFlowProcess.RunAsync("analyze", pcap, "--no-progress");
        Assert.True(analysis.ExitCode == 0, analysis.StandardError);
        using var report = JsonDocument.Parse(analysis.StandardOutput);
        var protocols = report.RootElement.GetProperty("protocols");
        output.WriteLine($"ours: tls {protocols.GetProperty("tls")} http {protocols.GetProperty("http")} versions {protocols.GetProperty("versions")}");
        var shark = await TsharkAsync(pcap);
        output.WriteLine($"tshark: {shark.ClientHellos.Count} client hellos, {shark.ServerHellos.Count} server hellos, names {string.Join(",", shark.Names)}, " +
            $"{shark.Requests.Count} requests, codes {string.Join(",", shark.Codes)}");

        Assert.Equal((17, 17), (shark.ClientHellos.Count, shark.ServerHellos.Count)); // what the test did
        var t = protocols.GetProperty("tls");
        Assert.Equal(shark.ClientHellos.Count, t.GetProperty("clientHellos").GetInt64());
        Assert.Equal(shark.ServerHellos.Count, t.GetProperty("serverHellos").GetInt64());
        Assert.Equal(shark.Names.Count, t.GetProperty("serverNames").GetInt64());
        Assert.Equal(0, t.GetProperty("unanswered").GetInt64());
        var messages = protocols.GetProperty("messages").EnumerateArray().ToList();
        long Count(string protocol, string message, string detail) => messages.Where(m => m.GetProperty("protocol").GetString() == protocol
            && m.GetProperty("message").GetString() == message && m.GetProperty("detail").GetString() == detail).Sum(m => m.GetProperty("count").GetInt64());
        var versions = protocols.GetProperty("versions").EnumerateArray().ToDictionary(v => v.GetProperty("version").GetString()!, v => v.GetProperty("count").GetInt64());
        Assert.Equal(shark.ServerHellos.Count(h => h.Version == "0x0304"), versions["TLS 1.3"]);
        Assert.Equal(shark.ServerHellos.Count(h => h.Version == "0x0303"), versions["TLS 1.2"]);
        Assert.Equal(4, versions["TLS 1.2"]);
        Assert.Equal(shark.Requests.Count, Count("http", "request", "GET"));
        Assert.Equal(shark.Codes.Count(c => c == 200), Count("http", "response", "200"));
        Assert.Equal(shark.Codes.Count(c => c == 404), Count("http", "response", "404"));
        Assert.Equal((8, 4, 4), (shark.Requests.Count, shark.Codes.Count(c => c == 200), shark.Codes.Count(c => c == 404)));
        Assert.Equal(shark.Requests.Count, versions["HTTP/1.1"]);
        AssertLatency(shark.TlsTimes, t.GetProperty("latencySeconds"));
        AssertLatency(shark.HttpTimes, protocols.GetProperty("http").GetProperty("latencySeconds"));
        var named = protocols.GetProperty("names").EnumerateArray().Single();
        Assert.Equal((NamespaceLab.Server, "last.lab.test", "tls"), (named.GetProperty("address").GetString(), named.GetProperty("name").GetString(), named.GetProperty("source").GetString()));

        // The server inspected the same traffic live on wan0.
        var live = await Eventually.WaitAsync<object>(async () =>
        {
            using var doc = JsonDocument.Parse(await server.Http.GetStringAsync("api/network/protocols"));
            var wan0 = doc.RootElement.GetProperty("captures").EnumerateArray().FirstOrDefault(c => c.GetProperty("interface").GetString() == "wan0");
            return wan0.ValueKind == JsonValueKind.Object && wan0.GetProperty("protocols").GetProperty("tls").GetProperty("serverHellos").GetInt64() >= 17
                && wan0.GetProperty("protocols").GetProperty("http").GetProperty("responses").GetInt64() >= 8 ? wan0.GetProperty("protocols").Clone() : null;
        }, TimeSpan.FromSeconds(20), "the server to count the hellos and requests") is JsonElement e ? e : default;
        Assert.Equal(17, live.GetProperty("tls").GetProperty("clientHellos").GetInt64());
        Assert.Equal(8, live.GetProperty("http").GetProperty("requests").GetInt64());
        var metrics = await server.MetricsAsync();
        Assert.Equal(13, RoutingFlowServer.Value(metrics, "routingflow_protocol_versions_total", "interface=\"wan0\",protocol=\"tls\",version=\"TLS 1.3\""));
        Assert.Equal(4, RoutingFlowServer.Value(metrics, "routingflow_protocol_messages_total", "interface=\"wan0\",protocol=\"http\",type=\"response\",record=\"404\""));
        Assert.True(RoutingFlowServer.Value(metrics, "routingflow_protocol_latency_seconds", "interface=\"wan0\",protocol=\"tls\",stat=\"p50\"") > 0);
        using (var cache = JsonDocument.Parse(await server.Http.GetStringAsync("api/network/names")))
        {
            var entry = cache.RootElement.GetProperty("names").EnumerateArray().Single(n => n.GetProperty("address").GetString() == NamespaceLab.Server);
            Assert.Equal(("last.lab.test", "tls"), (entry.GetProperty("name").GetString(), entry.GetProperty("source").GetString()));
        }
        Assert.Contains($"\r\n{NamespaceLab.Server},last.lab.test,tls,", await server.Http.GetStringAsync("api/network/names?format=csv"), StringComparison.Ordinal);
        var badLimit = await server.Http.GetAsync("api/network/names?limit=0");
        await Infrastructure.Problems.AssertAsync(badLimit, System.Net.HttpStatusCode.BadRequest, "limit", "limit '0' is not a whole number from 1 to 1000000");
        var protocolsCsv = await server.Http.GetStringAsync("api/network/protocols?format=csv");
        Assert.Contains("\r\nwan0,tls_server_hello,TLS 1.3,13\r\n", protocolsCsv, StringComparison.Ordinal);
        Assert.Contains("\r\nwan0,http_version,HTTP/1.1,8\r\n", protocolsCsv, StringComparison.Ordinal);
        await using var browser = await PlaywrightBrowser.LaunchAsync(NamespaceLab.RouterAddress);
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(server.Http.BaseAddress + "network");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("[data-testid=app-wan0] [data-testid=hellos]")).ToHaveTextAsync("17");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("[data-testid=app-wan0] [data-testid=versions]")).ToContainTextAsync("TLS 1.3 13");
        await Microsoft.Playwright.Assertions.Expect(page.Locator($"[data-testid='name-{NamespaceLab.Server}'] [data-testid=name]")).ToHaveTextAsync("last.lab.test");
        await PlaywrightBrowser.ScreenshotAsync(page, "network-tls-http");
    }

    private static async Task CurlAsync(NamespaceLab lab, params string[] arguments)
    {
        var curl = await lab.ExecAsync("h1", ["curl", "-sS", "-o", "/dev/null", "--max-time", "10", .. arguments]);
        Assert.True(curl.ExitCode == 0, $"curl {string.Join(' ', arguments)}: {curl.StandardError}");
    }

    private static void AssertLatency(List<double> times, JsonElement latency)
    {
        Assert.Equal(times.Count, latency.GetProperty("count").GetInt64());
        Assert.InRange(latency.GetProperty("mean").GetDouble() - times.Average(), -0.001, 0.001);
        Assert.InRange(latency.GetProperty("p50").GetDouble() - Percentiles.Rank(times, 0.5), -0.001, 0.001);
        Assert.InRange(latency.GetProperty("p95").GetDouble() - Percentiles.Rank(times, 0.95), -0.001, 0.001);
    }

    private sealed record Hello(string Stream, double Time, string Version);

    private sealed record TsharkApps(List<Hello> ClientHellos, List<Hello> ServerHellos, List<string> Names, List<double> TlsTimes,
        List<string> Requests, List<int> Codes, List<double> HttpTimes);

    /// <summary>
    /// tshark's TLS and HTTP dissection: each hello with its stream, time and version (ServerHello: supported_versions,
    /// else the legacy field), the server names, the request methods and response codes with <c>http.time</c>, and
    /// the ClientHello → ServerHello time per stream from the frame times.
    /// </summary>
    private static async Task<TsharkApps> TsharkAsync(string pcap)
    {
        var result = await ProcessRunner.RunAsync("tshark", ["-n", "-r", pcap, "-Y", "tls.handshake.type==1 || tls.handshake.type==2 || http.request || http.response",
            "-T", "fields", "-E", "separator=|", "-e", "tcp.stream", "-e", "frame.time_epoch", "-e", "tls.handshake.type", "-e", "tls.handshake.extensions.supported_version",
            "-e", "tls.handshake.version", "-e", "tls.handshake.extensions_server_name", "-e", "http.request.method", "-e", "http.response.code", "-e", "http.time"], TimeSpan.FromMinutes(2));
        Assert.Equal(0, result.ExitCode);
        var apps = new TsharkApps([], [], [], [], [], [], []);
        foreach (var f in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')))
        {
            var time = double.Parse(f[1], CultureInfo.InvariantCulture);
            var types = f[2].Split(','); // a TLS 1.2 ServerHello shares its segment with the Certificate, ServerHelloDone …
            if (types.Contains("1"))
            {
                apps.ClientHellos.Add(new Hello(f[0], time, f[4]));
                if (f[5].Length > 0)
                    apps.Names.Add(f[5]);
            }
            else if (types.Contains("2"))
            {
                apps.ServerHellos.Add(new Hello(f[0], time, f[3].Length > 0 ? f[3] : f[4].Split(',')[0]));
            }
            else if (f[6].Length > 0)
            {
                apps.Requests.Add(f[6]);
            }
            else if (f[7].Length > 0)
            {
                apps.Codes.Add(int.Parse(f[7], CultureInfo.InvariantCulture));
                apps.HttpTimes.Add(double.Parse(f[8], CultureInfo.InvariantCulture));
            }
        }
        apps.TlsTimes.AddRange(apps.ServerHellos.Select(s => s.Time - apps.ClientHellos.First(c => c.Stream == s.Stream).Time));
        return apps;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
