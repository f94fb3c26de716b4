using System.Globalization;
using System.Net;
using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Http;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Waiting;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// The fleet monitor end to end: two router servers in the lab's router namespace (their own ports, captures of lan0
/// and mappings: router A has h2 on wan0, router B on wan1), a real Prometheus scraping both every second, and a fleet
/// server with no WAN of its own reading that Prometheus. B's estimate lowered through its /tcpflow, h2's download is an
/// overload of B's wan1: the fleet opens exactly one incident, for B, naming h2 first at iperf3's rate (±10%), none for
/// A; it closes after; it is in /api/incidents?router= as JSON and CSV and outlives a restart with a diagnosis made from B's stored history, which /api/history?router= lists (SQLite, and PostgreSQL in a throw-away cluster), Chromium sees both routers on the fleet page with B's wan1 overloaded, and every panel of deploy/grafana's dashboard returns data from this Prometheus. With Prometheus stopped, or something else answering
/// in its place, every WAN is unknown with the error on /status, and the fleet recovers when Prometheus is back on the same address.
/// </summary>
public sealed class LabFleetTests(ITestOutputHelper output)
{
    private const string NicJson = """{"nics":[{"name":"wan0","interface":"wan0"},{"name":"wan1","interface":"wan1"}]}""";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [RootTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task AnOverloadOnRouterB_OpensOneFleetIncidentForB_NamingItsHost_AndPrometheusDownIsUnknown(string storage)
    {
        await using var postgres = storage == "postgres" ? await PostgresServer.StartAsync() : null;
        await using var lab = await NamespaceLab.StartAsync("50mbit", "20mbit");
        await lab.StartProbeServersAsync();
        lab.Start("inet", "iperf3", "-s", "-p", "5201");
        await using var a = await RouterAsync(lab, "wan0");
        await WaitForProbesAsync(a); // one router probes at a time: the shaped lines are not shared between two estimates
        await using var b = await RouterAsync(lab, "wan1");
        await WaitForProbesAsync(b);
        var (routerA, routerB) = (a.Http.BaseAddress!.Authority, b.Http.BaseAddress!.Authority);
        var prometheus = await PrometheusServer.StartAsync([routerA, routerB]);
        await using var receiver = ProbeTestServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var data = Directory.CreateTempSubdirectory("rf-fleet-").FullName;
        string[] fleetSettings =
        [
            $"--RoutingFlow:Fleet:Prometheus:Url=http://127.0.0.1:{prometheus.Port}", "--RoutingFlow:Fleet:Interval=00:00:01",
            "--RoutingFlow:Monitor:ClearFor=00:00:03", $"--RoutingFlow:Alerts:Webhooks:0={receiver.Url("/webhook")}", $"--RoutingFlow:DataDirectory={data}",
            .. postgres is null ? Array.Empty<string>() : ["--RoutingFlow:Storage:Provider=postgres", $"--RoutingFlow:Storage:ConnectionString={postgres.ConnectionString()}"],
        ];
        try
        {
            await using var fleet = await RoutingFlowServer.StartAsync("""{"nics":[]}""", fleetSettings);
            var both = await FleetAsync(fleet, f => f.GetProperty("routers").GetArrayLength() == 2
                && Routers(f).All(r => r.GetProperty("state").GetString() == "ok"), "both routers in the fleet, every WAN ok");
            output.WriteLine(both.ToString());

            await SetCorrectionAsync(b, "0.5"); // B's wan1 estimate ~10 Mbit/s: h2's download at the line's 20 is an overload there
            var iperf = lab.Iperf3Async("h2", "-c", NamespaceLab.Server, "-p", "5201", "-R", "-t", "14", "-b", "20M", "-J");
            var overloaded = await FleetAsync(fleet, f => Wan(f, routerB, "wan1").GetProperty("incident").ValueKind == JsonValueKind.Object, "an incident on router B's wan1");
            Assert.Equal("overloaded", Router(overloaded, routerB).GetProperty("state").GetString());
            Assert.Equal("ok", Router(overloaded, routerA).GetProperty("state").GetString());
            await using (var browser = await PlaywrightBrowser.LaunchAsync("127.0.0.1"))
            {
                var page = await browser.Context.NewPageAsync();
                await page.GotoAsync(new Uri(fleet.Http.BaseAddress!, "fleet").ToString());
                var rowB = page.Locator("tr", new() { Has = page.Locator($"[data-testid='fleet-row-{routerB}-wan1']") });
                await Assertions.Expect(rowB.Locator("[data-testid=fleet-state]")).ToHaveTextAsync("overloaded", new() { Timeout = 20_000 });
                await Assertions.Expect(rowB.Locator("[data-testid=fleet-incident]")).ToContainTextAsync(NamespaceLab.H2);
                var rowA = page.Locator("tr", new() { Has = page.Locator($"[data-testid='fleet-row-{routerA}-wan0']") });
                await Assertions.Expect(rowA.Locator("[data-testid=fleet-state]")).ToHaveTextAsync("ok");
                await PlaywrightBrowser.ScreenshotAsync(page, "fleet-overloaded");
            }
            await Deploy.GrafanaDashboard.AssertEveryPanelReturnsDataAsync(prometheus, routerB, output); // deploy/grafana's every panel, while h2 downloads
            var iperfBps = Iperf3Result.Parse((await iperf).StandardOutput).MeanBps(2, 13);
            await FleetAsync(fleet, f => Wan(f, routerB, "wan1").GetProperty("incident").ValueKind == JsonValueKind.Null, "the incident to close");

            using var incidents = JsonDocument.Parse(await fleet.Http.GetStringAsync($"api/incidents?router={Uri.EscapeDataString(routerB)}"));
            var incident = Assert.Single(incidents.RootElement.GetProperty("incidents").EnumerateArray());
            var culprit = incident.GetProperty("culprits")[0];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"incident {incident}; iperf3 {iperfBps / 1e6:F2} Mbit/s"));
            Assert.Equal((routerB, "wan1", "closed"), (incident.GetProperty("router").GetString(), incident.GetProperty("nic").GetString(), incident.GetProperty("state").GetString()));
            Assert.Equal((NamespaceLab.H2, "rx"), (culprit.GetProperty("ip").GetString(), culprit.GetProperty("direction").GetString()));
            Assert.InRange(culprit.GetProperty("bps").GetDouble(), iperfBps * 0.9, iperfBps * 1.1);
            using (var forA = JsonDocument.Parse(await fleet.Http.GetStringAsync($"api/incidents?router={Uri.EscapeDataString(routerA)}")))
                Assert.Empty(forA.RootElement.GetProperty("incidents").EnumerateArray());
            var csv = (await fleet.Http.GetStringAsync($"api/incidents?router={Uri.EscapeDataString(routerB)}&format=csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, csv.Length);
            Assert.EndsWith($",{routerB}", csv[1], StringComparison.Ordinal);
            var fleetCsv = await fleet.Http.GetStringAsync("api/fleet?format=csv");
            Assert.Equal(5, fleetCsv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length); // the header and 2 routers × 2 WANs

            var port = prometheus.Port;
            await prometheus.DisposeAsync();
            var failing = await FleetAsync(fleet, f => f.GetProperty("state").GetString() == "failing", "Prometheus down to show");
            Assert.All(Routers(failing).SelectMany(r => r.GetProperty("wans").EnumerateArray()), w => Assert.Equal("unknown", w.GetProperty("state").GetString()));
            var status = (await fleet.StatusAsync()).GetProperty("fleet");
            Assert.Equal("failing", status.GetProperty("state").GetString());
            Assert.Contains("Prometheus is unreachable", status.GetProperty("error").GetString(), StringComparison.Ordinal);
            await using (var garbage = ProbeTestServer.Start(new IPEndPoint(IPAddress.Loopback, port))) // something else answers on Prometheus's address
            {
                var confused = await FleetAsync(fleet, f => f.GetProperty("error").GetString()?.Contains("not its query API's JSON", StringComparison.Ordinal) == true,
                    "an answer that is not Prometheus's to show");
                Assert.Equal("failing", confused.GetProperty("state").GetString());
                Assert.All(Routers(confused).SelectMany(r => r.GetProperty("wans").EnumerateArray()), w => Assert.Equal("unknown", w.GetProperty("state").GetString()));
            }
            prometheus = await PrometheusServer.StartAsync([routerA, routerB], port);
            await FleetAsync(fleet, f => f.GetProperty("state").GetString() == "ok" && Routers(f).All(r => r.GetProperty("state").GetString() == "ok"), "the fleet to recover");
            using (var after = JsonDocument.Parse(await fleet.Http.GetStringAsync("api/incidents")))
                Assert.Single(after.RootElement.GetProperty("incidents").EnumerateArray()); // nothing opened while it was down

            // The webhook receiver got the start and the end, naming the router; the incident outlives a restart (SQLite).
            var hooks = receiver.Webhooks.Select(h => JsonDocument.Parse(h).RootElement).ToList();
            Assert.Equal(["overload_started", "overload_ended"], hooks.Select(h => h.GetProperty("event").GetString()));
            Assert.All(hooks, h => Assert.Equal(routerB, h.GetProperty("router").GetString()));
            Assert.StartsWith($"{routerB} wan1 is overloaded", hooks[0].GetProperty("text").GetString(), StringComparison.Ordinal);
            await fleet.StopAsync();
            await using var restarted = await RoutingFlowServer.StartAsync("""{"nics":[]}""", fleetSettings);
            var stored = (await restarted.StatusAsync()).GetProperty("storage");
            Assert.NotEqual("failing", stored.GetProperty("state").GetString()); // "starting" until it has something to write
            if (postgres is not null)
                Assert.Equal($"postgres://127.0.0.1:{postgres.Port}/routingflow", stored.GetProperty("path").GetString()); // never the password
            using var kept = JsonDocument.Parse(await restarted.Http.GetStringAsync($"api/incidents?router={Uri.EscapeDataString(routerB)}"));
            var keptIncident = Assert.Single(kept.RootElement.GetProperty("incidents").EnumerateArray());
            Assert.Equal(incident.GetProperty("id").GetInt64(), keptIncident.GetProperty("id").GetInt64());
            output.WriteLine($"diagnosis {keptIncident.GetProperty("diagnosis")}");
            // From B's stored history: B's wan1 idle before, so demand; "both" when the fleet also stored B's capacity
            // before the test lowered it (a router's correction is not an event the fleet sees: it reads as the line's).
            var diagnosis = keptIncident.GetProperty("diagnosis");
            Assert.Contains(diagnosis.GetProperty("cause").GetString(), (string[])["demand", "both"]);
            Assert.Contains($"{NamespaceLab.H2} started a", diagnosis.GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.Equal(NamespaceLab.H2, diagnosis.GetProperty("growth")[0].GetProperty("ip").GetString());
            await AssertRouterHistoryAsync(restarted, routerB, iperfBps);
            using var local = JsonDocument.Parse(await restarted.Http.GetStringAsync("api/incidents?router="));
            Assert.Empty(local.RootElement.GetProperty("incidents").EnumerateArray()); // this server's own WANs: none
        }
        finally
        {
            await prometheus.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    private static Task<RoutingFlowServer> RouterAsync(NamespaceLab lab, string h2Wan) => RoutingFlowServer.StartAsync(NicJson,
    [
        "--RoutingFlow:Capture:Interfaces:0:Name=lan0", "--RoutingFlow:Capture:Interfaces:0:Role=lan", "--RoutingFlow:Capture:RateWindow=00:00:02",
        $"--RoutingFlow:Mapping:Static:0:Cidr={NamespaceLab.H1}/32", "--RoutingFlow:Mapping:Static:0:Nic=wan0",
        $"--RoutingFlow:Mapping:Static:1:Cidr={NamespaceLab.H2}/32", $"--RoutingFlow:Mapping:Static:1:Nic={h2Wan}",
        "--RoutingFlow:Probe:Targets:0:Method=download", $"--RoutingFlow:Probe:Targets:0:Url=http://{NamespaceLab.Isp0}/bytes",
        "--RoutingFlow:Probe:Targets:1:Method=download", $"--RoutingFlow:Probe:Targets:1:Url=http://{NamespaceLab.Isp1}/bytes",
        "--RoutingFlow:Security:ApiKey=lab-key",
    ], listen: NamespaceLab.RouterAddress, lab: lab);

    private static Task WaitForProbesAsync(RoutingFlowServer server) =>
        Eventually.WaitAsync(async () => (await server.StatusAsync()).GetProperty("nics").EnumerateArray()
            .All(n => n.GetProperty("probeState").GetString() == "ok"), Wait, "the first probe round on both WANs");

    /// <summary>The fleet server stored B's wan1 every check: its history names B and carries the download; this router's own history is empty.</summary>
    private static async Task AssertRouterHistoryAsync(RoutingFlowServer server, string router, double iperfBps)
    {
        using var history = JsonDocument.Parse(await server.Http.GetStringAsync($"api/history?router={Uri.EscapeDataString(router)}&nic=wan1&resolution=raw"));
        var points = history.RootElement.GetProperty("points").EnumerateArray().ToList();
        Assert.True(points.Count >= 5, $"{points.Count} stored points for {router} wan1");
        Assert.All(points, p => Assert.Equal(router, p.GetProperty("router").GetString()));
        Assert.InRange(points.Max(p => p.GetProperty("actualRxBps").GetDouble()), iperfBps * 0.9, iperfBps * 1.2);
        using var local = JsonDocument.Parse(await server.Http.GetStringAsync("api/history?router="));
        Assert.Empty(local.RootElement.GetProperty("points").EnumerateArray());
        var csv = (await server.Http.GetStringAsync($"api/history?router={Uri.EscapeDataString(router)}&nic=wan1&format=csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",router", csv[0], StringComparison.Ordinal);
        Assert.EndsWith($",{router}", csv[^1], StringComparison.Ordinal);
    }

    private static async Task SetCorrectionAsync(RoutingFlowServer server, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"tcpflow?value={value}") { Headers = { { "X-Api-Key", "lab-key" } } };
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static IEnumerable<JsonElement> Routers(JsonElement fleet) => fleet.GetProperty("routers").EnumerateArray();

    private static JsonElement Router(JsonElement fleet, string router) => Routers(fleet).Single(r => r.GetProperty("router").GetString() == router);

    private static JsonElement Wan(JsonElement fleet, string router, string nic) =>
        Routers(fleet).FirstOrDefault(r => r.GetProperty("router").GetString() == router) is { ValueKind: JsonValueKind.Object } r
            ? r.GetProperty("wans").EnumerateArray().FirstOrDefault(w => w.GetProperty("nic").GetString() == nic)
            : default;

    private static async Task<JsonElement> FleetAsync(RoutingFlowServer fleet, Func<JsonElement, bool> condition, string what) =>
        (JsonElement)await Eventually.WaitAsync<object>(async () =>
        {
            using var document = JsonDocument.Parse(await fleet.Http.GetStringAsync("api/fleet"));
            var root = document.RootElement.Clone();
            try
            {
                return condition(root) ? root : null;
            }
            catch (InvalidOperationException)
            {
                return null; // a router or WAN not there yet
            }
            catch (KeyNotFoundException)
            {
                return null;
            }
        }, Wait, what);
}
