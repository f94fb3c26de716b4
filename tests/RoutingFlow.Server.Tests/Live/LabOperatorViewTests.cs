using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Waiting;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// The operator's view in the two-WAN lab (wan0 shaped to 50 Mbit/s, wan1 to 20; download and upload probes in each
/// ISP, so capacity is known both ways; h1 mapped to wan0, h2 to wan1; the LAN side captured):
/// <list type="number">
/// <item>h2 saturating wan1 with one TCP download reads 98–100% in wire bits (the probe's goodput converted with its
/// measured MSS) and is <c>full</c>: no incident at the default threshold;</item>
/// <item>h1 sending UDP at twice wan0's rate (the LAN sees the demand; wan0's shaper drops the rest) opens one
/// incident, tx over, naming h1 first on the card, the incident list, the incident page (with the incident window
/// shaded on its chart) and the webhook text;</item>
/// <item>after the fact, the talkers page lists h2 and h1, and h1's host page shows its WAN share and the incident.</item>
/// </list>
/// </summary>
public sealed class LabOperatorViewTests(ITestOutputHelper output)
{
    private const string NicJson = """{"nics":[{"name":"wan0","interface":"wan0"},{"name":"wan1","interface":"wan1"}]}""";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);

    [RootFact]
    public async Task FullLine_IsNoIncident_TwiceTheDemandIs_AndTheUploaderIsNamedEverywhere_ThenFoundAfterTheFact()
    {
        await using var lab = await NamespaceLab.StartAsync("50mbit", "20mbit");
        await lab.StartProbeServersAsync("127.0.0.1:9099");
        lab.Start("inet", "iperf3", "-s", "-p", "5201");
        var data = Directory.CreateTempSubdirectory("rf-data-").FullName;
        await using var server = await RoutingFlowServer.StartAsync(NicJson,
        [
            "--RoutingFlow:Capture:Interfaces:0:Name=lan0", "--RoutingFlow:Capture:Interfaces:0:Role=lan", "--RoutingFlow:Capture:RateWindow=00:00:02",
            $"--RoutingFlow:Mapping:Static:0:Cidr={NamespaceLab.H1}/32", "--RoutingFlow:Mapping:Static:0:Nic=wan0",
            $"--RoutingFlow:Mapping:Static:1:Cidr={NamespaceLab.H2}/32", "--RoutingFlow:Mapping:Static:1:Nic=wan1",
            "--RoutingFlow:Probe:Targets:0:Method=download", $"--RoutingFlow:Probe:Targets:0:Url=http://{NamespaceLab.Isp0}/bytes",
            "--RoutingFlow:Probe:Targets:1:Method=download", $"--RoutingFlow:Probe:Targets:1:Url=http://{NamespaceLab.Isp1}/bytes",
            "--RoutingFlow:Probe:Targets:2:Method=upload", $"--RoutingFlow:Probe:Targets:2:Url=http://{NamespaceLab.Isp0}/sink",
            "--RoutingFlow:Probe:Targets:3:Method=upload", $"--RoutingFlow:Probe:Targets:3:Url=http://{NamespaceLab.Isp1}/sink",
            "--RoutingFlow:Monitor:ClearFor=00:00:03", "--RoutingFlow:Alerts:Webhooks:0=http://127.0.0.1:9099/webhook", $"--RoutingFlow:DataDirectory={data}",
        ], listen: NamespaceLab.RouterAddress, lab: lab);
        await Eventually.WaitAsync(async () => (await server.StatusAsync()).GetProperty("nics").EnumerateArray()
            .All(n => n.GetProperty("probeState").GetString() == "ok" && n.GetProperty("txCapacityBps").ValueKind == JsonValueKind.Number), Wait, "both probe directions on both WANs");

        await FullLineAsync(lab, server);
        await using var browser = await PlaywrightBrowser.LaunchAsync(NamespaceLab.RouterAddress);
        var page = await browser.Context.NewPageAsync();
        var incident = await UploadOverloadAsync(lab, server, page);
        await IncidentPagesAsync(page, server, incident);
        await WebhookAsync(lab, incident);
        await AfterTheFactAsync(page, server, incident);
        Directory.Delete(data, recursive: true);
    }

    /// <summary>One download filling wan1: 98–100% of its wire capacity each second once it runs, full, never an incident.</summary>
    private async Task FullLineAsync(NamespaceLab lab, RoutingFlowServer server)
    {
        var iperf = lab.Iperf3Async("h2", "-c", NamespaceLab.Server, "-p", "5201", "-R", "-t", "14");
        await Task.Delay(TimeSpan.FromSeconds(5)); // slow start and the 2 s rate window
        var samples = new List<(double Utilization, string State)>();
        for (var i = 0; i < 6; i++)
        {
            var wan1 = Nic(await server.StatusAsync(), "wan1");
            samples.Add((wan1.GetProperty("utilization").GetDouble(), wan1.GetProperty("state").GetString()!));
            Assert.Equal(JsonValueKind.Null, wan1.GetProperty("incident").ValueKind);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(0, (await iperf).ExitCode);
        output.WriteLine("wan1 under one saturating download: " + string.Join(", ", samples.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Utilization:P1} {s.State}"))));
        var median = samples.Select(s => s.Utilization).Order().ElementAt(samples.Count / 2);
        Assert.InRange(median, 0.98, 1.005);
        Assert.All(samples, s => Assert.InRange(s.Utilization, 0.9, 1.05)); // never above the threshold
        Assert.Contains(samples, s => s.State == "full");
        Assert.Equal(0, RoutingFlowServer.Value(await server.MetricsAsync(), "routingflow_overload_incidents_total", "nic=\"wan1\""));
    }

    /// <summary>UDP from h1 at twice wan0's rate: one incident on wan0, tx over, h1 the first culprit on the card and in /status; returns it.</summary>
    private async Task<JsonElement> UploadOverloadAsync(NamespaceLab lab, RoutingFlowServer server, IPage page)
    {
        await page.GotoAsync(server.Http.BaseAddress!.ToString());
        await Assertions.Expect(page.Locator("[data-testid=wan-wan0] [data-testid=load-state]")).ToHaveTextAsync("ok", new() { Timeout = 20_000 });
        var iperf = lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-u", "-b", "100M", "-t", "10");
        await Assertions.Expect(page.Locator("[data-testid=wan-wan0] [data-testid=incident-top]")).ToContainTextAsync($"tx over: top tx {NamespaceLab.H1} ", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=wan-wan0] [data-testid=live-chart] [data-testid=incident-window]")).ToHaveCountAsync(1);
        // 100 Mbit/s of upload fits nowhere (wan1 carries 20): no move would lower the worst utilisation, and the card says so.
        await Assertions.Expect(page.Locator("[data-testid=wan-wan0] [data-testid=advice]")).ToContainTextAsync("no move lowers the worst utilisation");
        await PlaywrightBrowser.ScreenshotAsync(page, "overview-upload-overload");
        var wan0 = (JsonElement)await Eventually.WaitAsync<object>(async () =>
        {
            var nic = Nic(await server.StatusAsync(), "wan0");
            return nic.GetProperty("incident").ValueKind == JsonValueKind.Object ? nic : null;
        }, Wait, "an incident on wan0");
        await iperf;
        var incident = wan0.GetProperty("incident");
        var culprit = incident.GetProperty("culprits")[0];
        output.WriteLine($"wan0 incident: {incident}");
        Assert.Equal("tx", incident.GetProperty("overDirection").GetString());
        Assert.Equal((NamespaceLab.H1, "tx"), (culprit.GetProperty("ip").GetString(), culprit.GetProperty("direction").GetString()));
        Assert.InRange(culprit.GetProperty("share").GetDouble(), 0.9, 1.0);
        await Eventually.WaitAsync(async () => Nic(await server.StatusAsync(), "wan0").GetProperty("incident").ValueKind == JsonValueKind.Null, Wait, "the incident to close");
        Assert.Equal(0, RoutingFlowServer.Value(await server.MetricsAsync(), "routingflow_overload_incidents_total", "nic=\"wan1\""));
        return incident.Clone();
    }

    /// <summary>The uploader named first on the card (while open it was checked through /status), the list, the page and the webhook.</summary>
    private static async Task IncidentPagesAsync(IPage page, RoutingFlowServer server, JsonElement incident)
    {
        var id = incident.GetProperty("id").GetInt64();
        var first = $"tx over: top tx {NamespaceLab.H1} ";
        await page.GotoAsync(server.Http.BaseAddress + "incidents");
        var row = page.Locator("[data-testid=incident-row]").First;
        await Assertions.Expect(row.Locator("[data-testid=incident-culprits]")).ToContainTextAsync(first, new() { Timeout = 20_000 });
        await page.GotoAsync(server.Http.BaseAddress + $"incidents/{id}");
        await Assertions.Expect(page.Locator("[data-testid=incident-culprits]")).ToContainTextAsync(first, new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=over-direction]")).ToHaveTextAsync("tx");
        await Assertions.Expect(page.Locator("[data-testid=incident-chart] [data-testid=incident-window]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=incident-chart] [data-testid=peak-marker]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=incident-chart] path.rf-line")).ToHaveCountAsync(4); // capacity rx, tx; rx, tx
        await PlaywrightBrowser.ScreenshotAsync(page, "incident-upload");
    }

    /// <summary>The webhook receiver on the router's loopback got the start, its text naming the uploader first.</summary>
    private static async Task WebhookAsync(NamespaceLab lab, JsonElement incident)
    {
        var id = incident.GetProperty("id").GetInt64();
        var started = (JsonElement)await Eventually.WaitAsync<object>(async () =>
        {
            var log = (await lab.ExecAsync("router", "curl", "-s", "--max-time", "5", "http://127.0.0.1:9099/webhook/log")).StandardOutput;
            var alerts = JsonDocument.Parse(log.Length > 0 ? log : "[]").RootElement.EnumerateArray();
            return alerts.FirstOrDefault(a => a.GetProperty("event").GetString() == "overload_started" && a.GetProperty("incidentId").GetInt64() == id) is { ValueKind: JsonValueKind.Object } a ? a.Clone() : null;
        }, Wait, "the webhook to get the start");
        Assert.Contains($"; tx is over: top tx {NamespaceLab.H1} ", started.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Minutes after: the talkers page lists both hosts; h1's page (reached by its link) shows wan0's share and the incident.</summary>
    private static async Task AfterTheFactAsync(IPage page, RoutingFlowServer server, JsonElement incident)
    {
        var id = incident.GetProperty("id").GetInt64();
        await Eventually.WaitAsync(async () =>
        {
            var host = JsonDocument.Parse(await server.Http.GetStringAsync($"api/hosts/{NamespaceLab.H1}")).RootElement;
            return host.GetProperty("wans").GetArrayLength() > 0 && host.GetProperty("incidents").GetArrayLength() > 0;
        }, TimeSpan.FromSeconds(90), "the minute's busiest IPs to be stored");
        // The page reads the stored minutes once: load it when both hosts' minutes are stored (the host report above
        // also counts the minute still being gathered, so it can be ready before the minute is written).
        await Eventually.WaitAsync(async () =>
        {
            var talkers = await server.Http.GetStringAsync("api/talkers");
            return talkers.Contains($"\"{NamespaceLab.H1}\"", StringComparison.Ordinal) && talkers.Contains($"\"{NamespaceLab.H2}\"", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(90), "both hosts' minutes to be stored");
        await page.GotoAsync(server.Http.BaseAddress + "talkers");
        var rows = page.Locator("[data-testid=talker-row]");
        await Assertions.Expect(rows.Filter(new() { HasText = NamespaceLab.H2 })).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Assertions.Expect(rows.Filter(new() { HasText = NamespaceLab.H1 })).ToHaveCountAsync(1);
        await PlaywrightBrowser.ScreenshotAsync(page, "talkers");
        await rows.Filter(new() { HasText = NamespaceLab.H1 }).Locator("[data-testid=ip-link]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=host-title]")).ToHaveTextAsync($"Host {NamespaceLab.H1}", new() { Timeout = 20_000 });
        var wan = page.Locator("[data-testid=host-wan]");
        await Assertions.Expect(wan).ToHaveCountAsync(1);
        await Assertions.Expect(wan.Locator("td").First).ToHaveTextAsync("wan0");
        await Assertions.Expect(wan.Locator("[data-testid=host-wan-share]")).ToHaveTextAsync("100%");
        await Assertions.Expect(page.Locator("[data-testid=host-incident]").First).ToContainTextAsync(id.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("[data-testid=host-chart] [data-testid=incident-window]")).ToHaveCountAsync(1);
        await PlaywrightBrowser.ScreenshotAsync(page, "host");
    }

    private static JsonElement Nic(JsonElement status, string name) =>
        status.GetProperty("nics").EnumerateArray().Single(n => n.GetProperty("name").GetString() == name);
}
