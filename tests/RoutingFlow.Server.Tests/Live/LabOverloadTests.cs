using System.Globalization;
using System.Net;
using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Waiting;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// The overload monitor end to end in the lab: wan0 shaped to 50 Mbit/s and wan1 to 20, download probes against
/// the speed-test server in each ISP, h1 mapped to wan0 and h2 to wan1. With the estimate lowered through
/// /tcpflow, h2 downloading at the line's rate is an overload of wan1: exactly one incident opens there naming
/// h2 first among the top rx at iperf3's rate (±10%), none on wan0; `routingflow check` says so (exit 1); the
/// incident closes once the traffic stops, and `check` exits 0. Applying the advice moves h2's route for real (the
/// apply command runs the lab's `route`), so its download crosses wan0 by the kernel's counters. A real browser (Playwright driving Chromium) sees the open
/// incident on the overview, the closed one on the incidents page and in its CSV download; a webhook receiver gets
/// the start and the end; the incident is in /api/incidents, and still there after a SIGKILL and restart.
/// </summary>
public sealed class LabOverloadTests(ITestOutputHelper output)
{
    private const string NicJson = """{"nics":[{"name":"wan0","interface":"wan0"},{"name":"wan1","interface":"wan1"}]}""";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);

    [RootFact]
    public async Task OverloadedWan_OpensOneIncidentNamingItsTopIp_AndClosesAfterwards()
    {
        await using var lab = await NamespaceLab.StartAsync("50mbit", "20mbit");
        await lab.StartProbeServersAsync("127.0.0.1:9099"); // the speed-test servers, and a webhook receiver on the router's loopback
        lab.Start("inet", "iperf3", "-s", "-p", "5201");
        var data = Directory.CreateTempSubdirectory("rf-data-").FullName;
        var applyScript = WriteApplyScript(data, lab);
        await using var server = await RoutingFlowServer.StartAsync(NicJson,
        [
            $"--RoutingFlow:Advice:ApplyCommand=python3 {applyScript}",
            "--RoutingFlow:Capture:Interfaces:0:Name=lan0", "--RoutingFlow:Capture:Interfaces:0:Role=lan", "--RoutingFlow:Capture:RateWindow=00:00:02",
            $"--RoutingFlow:Mapping:Static:0:Cidr={NamespaceLab.H1}/32", "--RoutingFlow:Mapping:Static:0:Nic=wan0",
            $"--RoutingFlow:Mapping:Static:1:Cidr={NamespaceLab.H2}/32", "--RoutingFlow:Mapping:Static:1:Nic=wan1",
            "--RoutingFlow:Probe:Targets:0:Method=download", $"--RoutingFlow:Probe:Targets:0:Url=http://{NamespaceLab.Isp0}/bytes",
            "--RoutingFlow:Probe:Targets:1:Method=download", $"--RoutingFlow:Probe:Targets:1:Url=http://{NamespaceLab.Isp1}/bytes",
            "--RoutingFlow:Monitor:ClearFor=00:00:03", "--RoutingFlow:Alerts:Webhooks:0=http://127.0.0.1:9099/webhook", "--RoutingFlow:Security:ApiKey=lab-key", $"--RoutingFlow:DataDirectory={data}",
        ], listen: NamespaceLab.RouterAddress, lab: lab);
        await Eventually.WaitAsync(async () => (await server.StatusAsync()).GetProperty("nics").EnumerateArray()
            .All(n => n.GetProperty("probeState").GetString() == "ok"), Wait, "the first probe round on both WANs");
        await SetCorrectionAsync(server, "0.5"); // wan1's estimate ~10 Mbit/s: a download at the line's 20 is an overload

        // 20 Mbit/s: wan1's whole line before the advice is applied, and the same on wan0 after (under its 25)
        var iperf = lab.Iperf3Async("h2", "-c", NamespaceLab.Server, "-p", "5201", "-R", "-t", "18", "-b", "20M", "-J");
        var wan1 = await WaitForNicAsync(server, "wan1", n => n.GetProperty("incident").ValueKind == JsonValueKind.Object, "an incident on wan1");
        await using var browser = await PlaywrightBrowser.LaunchAsync(NamespaceLab.RouterAddress);
        var page = await browser.Context.NewPageAsync();
        var incidentId = wan1.GetProperty("incident").GetProperty("id").GetInt64();
        await page.GotoAsync(server.Http.BaseAddress!.ToString());
        await Assertions.Expect(page.Locator($"[data-testid=wan-wan1] [data-testid=incident-{incidentId}]")).ToContainTextAsync(NamespaceLab.H2, new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=wan-wan1] [data-testid=load-state]")).ToHaveTextAsync("overloaded");
        // wan0 (25 Mbit/s after the correction) has room for h2's download: the advice moves h2 there, on the card and in the API.
        await Assertions.Expect(page.Locator("[data-testid=wan-wan1] [data-testid=advice]")).ToContainTextAsync($"move {NamespaceLab.H2} (", new() { Timeout = 20_000 });
        using (var advice = JsonDocument.Parse(await server.Http.GetStringAsync("api/advice")))
        {
            var move = Assert.Single(advice.RootElement.GetProperty("moves").EnumerateArray());
            Assert.Equal((NamespaceLab.H2, "wan1", "wan0"), (move.GetProperty("target").GetString(), move.GetProperty("from").GetString(), move.GetProperty("to").GetString()));
            Assert.True(advice.RootElement.GetProperty("fits").GetBoolean(), advice.RootElement.GetProperty("text").GetString());
            output.WriteLine("advice: " + advice.RootElement.GetProperty("text").GetString());
        }
        // The live chart: capacity rx, rx and tx, and the open incident's window shaded.
        await Assertions.Expect(page.Locator("[data-testid=wan-wan1] [data-testid=live-chart] path.rf-line")).ToHaveCountAsync(3);
        await PlaywrightBrowser.ScreenshotAsync(page, "overview-overloaded");
        var check = await RoutingFlowProcess.RunAsync("check", "--url", server.Http.BaseAddress!.ToString());
        output.WriteLine(check.StandardOutput);
        Assert.Equal(1, check.ExitCode);
        Assert.Contains($"  top rx: {NamespaceLab.H2}", check.StandardOutput, StringComparison.Ordinal);
        // The open incident keeps the plan its diagnosis saw (the close alert quotes it): wait for it before applying the plan.
        await Eventually.WaitAsync(async () =>
        {
            using var json = JsonDocument.Parse(await server.Http.GetStringAsync($"api/incidents/{incidentId}"));
            return json.RootElement.GetProperty("advice") is { ValueKind: JsonValueKind.Object } a && a.GetProperty("moves").GetArrayLength() > 0;
        }, Wait, "the open incident's diagnosis to carry the advice");
        await ApplyAdviceAsync(server, lab);
        var iperfBps = Iperf3Result.Parse((await iperf).StandardOutput).MeanBps(2, 17);

        var closed = await WaitForNicAsync(server, "wan1", n => n.GetProperty("incident").ValueKind == JsonValueKind.Null && n.GetProperty("state").GetString() == "ok", "the incident to close");
        var incident = wan1.GetProperty("incident");
        var top = incident.GetProperty("topRx")[0];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"incident {incident.GetProperty("id").GetInt64()}: peak {incident.GetProperty("peakUtilization").GetDouble():P0}, top rx {top.GetProperty("ip").GetString()} {top.GetProperty("bps").GetDouble() / 1e6:F2} Mbit/s; iperf3 {iperfBps / 1e6:F2} Mbit/s"));
        Assert.Equal(NamespaceLab.H2, top.GetProperty("ip").GetString());
        Assert.InRange(top.GetProperty("bps").GetDouble(), iperfBps * 0.9, iperfBps * 1.1);
        Assert.Equal("rx", incident.GetProperty("overDirection").GetString()); // a download: rx is over, its downloader named first
        var culprit = incident.GetProperty("culprits")[0];
        Assert.Equal((NamespaceLab.H2, "rx"), (culprit.GetProperty("ip").GetString(), culprit.GetProperty("direction").GetString()));
        Assert.InRange(culprit.GetProperty("share").GetDouble(), 0.8, 1.0);
        Assert.Contains("  over: rx", check.StandardOutput, StringComparison.Ordinal);
        var metrics = await server.MetricsAsync();
        Assert.Equal(1, RoutingFlowServer.Value(metrics, "routingflow_overload_incidents_total", "nic=\"wan1\""));
        Assert.Equal(0, RoutingFlowServer.Value(metrics, "routingflow_overload_incidents_total", "nic=\"wan0\""));
        Assert.Equal(0, RoutingFlowServer.Value(metrics, "routingflow_wan_overloaded", "nic=\"wan1\""));
        Assert.Equal("ok", closed.GetProperty("state").GetString());
        Assert.Equal(0, (await RoutingFlowProcess.RunAsync("check", "--url", server.Http.BaseAddress!.ToString())).ExitCode);

        var id = incident.GetProperty("id").GetInt64();
        await AssertDiagnosedAsync(server, id);
        await AssertStoredAsync(server, id);
        await AssertIncidentsPageAsync(page, server, id);
        await AssertAlertedAsync(lab, id);
        var closedAt = DateTimeOffset.UtcNow;
        await Eventually.WaitAsync(async () => (await server.StatusAsync()).GetProperty("storage").GetProperty("lastFlush").GetDateTimeOffset() > closedAt,
            Wait, "a flush after the incident closed");
        await server.DisposeAsync(); // SIGKILL
        await using var restarted = await RoutingFlowServer.StartAsync(NicJson, [$"--RoutingFlow:DataDirectory={data}", "--RoutingFlow:Capture:Interfaces:0:Name=lan0", "--RoutingFlow:Capture:Interfaces:0:Role=lan"],
            listen: NamespaceLab.RouterAddress, lab: lab);
        await AssertStoredAsync(restarted, id);
        Directory.Delete(data, recursive: true);
    }

    /// <summary>
    /// The diagnosis: demand. h2's download rose from nothing while the capacity held (the correction factor set before
    /// the download is an operator's change, not the line's: the baseline's capacity is rescaled to it), h2 grew most.
    /// </summary>
    private async Task AssertDiagnosedAsync(RoutingFlowServer server, long id)
    {
        var diagnosis = (JsonElement)await Eventually.WaitAsync<object>(async () =>
        {
            var json = JsonDocument.Parse(await server.Http.GetStringAsync($"api/incidents/{id}")).RootElement.Clone();
            var d = json.GetProperty("diagnosis");
            return d.ValueKind == JsonValueKind.Object ? d : null;
        }, Wait, "the incident's diagnosis");
        output.WriteLine($"diagnosis: {diagnosis}");
        Assert.Equal("demand", diagnosis.GetProperty("cause").GetString());
        Assert.InRange(diagnosis.GetProperty("confidence").GetDouble(), 0.5, 1.0);
        Assert.Equal(NamespaceLab.H2, diagnosis.GetProperty("growth")[0].GetProperty("ip").GetString());
        Assert.StartsWith($"wan1 is full because {NamespaceLab.H2} started a ", diagnosis.GetProperty("text").GetString(), StringComparison.Ordinal);
        var capacity = diagnosis.GetProperty("capacityDuring").GetProperty("rxBps").GetDouble();
        Assert.InRange(diagnosis.GetProperty("capacityBefore").GetProperty("rxBps").GetDouble(), capacity * 0.9, capacity * 1.1);
        var advice = JsonDocument.Parse(await server.Http.GetStringAsync($"api/incidents/{id}")).RootElement.GetProperty("advice");
        Assert.Equal((NamespaceLab.H2, "wan0"), (advice.GetProperty("moves")[0].GetProperty("target").GetString(), advice.GetProperty("moves")[0].GetProperty("to").GetString()));
    }

    /// <summary>
    /// The routing side of an apply, as <c>Advice:ApplyCommand</c> gets it: the moves as JSON on stdin, each host sent
    /// out of its new WAN with the lab's own <c>route</c> (the router's policy rule and the way back through that ISP).
    /// </summary>
    private static string WriteApplyScript(string directory, NamespaceLab lab)
    {
        var path = Path.Combine(directory, "apply-routes.py");
        File.WriteAllText(path, $$"""
            import json, subprocess, sys
            hosts = {"{{NamespaceLab.H1}}": "h1", "{{NamespaceLab.H2}}": "h2"}
            for move in json.load(sys.stdin)["moves"]:
                subprocess.run(["bash", "{{NamespaceLab.Script}}", "route", "{{lab.Id}}", hosts[move["target"]], move["to"]], check=True)
            """);
        return path;
    }

    /// <summary>
    /// The advice applied from a non-loopback client: without the key it is refused and changes nothing; with it, h2 is
    /// mapped to wan0 at once, the apply command moves its route (its download now crosses wan0's interface, by the
    /// kernel's counters), its download is counted there (under wan0's capacity), and wan1's incident closes.
    /// </summary>
    private static async Task ApplyAdviceAsync(RoutingFlowServer server, NamespaceLab lab)
    {
        using (var refused = await server.Http.PostAsync("api/advice/apply", null))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var apply = new HttpRequestMessage(HttpMethod.Post, "api/advice/apply") { Headers = { { "X-Api-Key", "lab-key" } } };
        using var applied = await server.Http.SendAsync(apply);
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var body = JsonDocument.Parse(await applied.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((NamespaceLab.H2, "wan0"), (body.GetProperty("applied")[0].GetProperty("target").GetString(), body.GetProperty("applied")[0].GetProperty("nic").GetString()));
        Assert.Equal(0, body.GetProperty("forwarded").GetProperty("commandExitCode").GetInt32()); // the routes moved
        await Eventually.WaitAsync(async () =>
        {
            var (wan0, wan1) = (await lab.InterfaceBytesAsync("router", "wan0"), await lab.InterfaceBytesAsync("router", "wan1"));
            await Task.Delay(TimeSpan.FromSeconds(1));
            var (wan0After, wan1After) = (await lab.InterfaceBytesAsync("router", "wan0"), await lab.InterfaceBytesAsync("router", "wan1"));
            return (wan0After.Rx - wan0.Rx) * 8 > 10e6 && (wan1After.Rx - wan1.Rx) * 8 < 2e6; // h2's download on wan0's wire, off wan1's
        }, Wait, "h2's download crossing wan0 by the kernel's counters");
        await WaitForNicAsync(server, "wan0", n => n.GetProperty("topRx").GetArrayLength() > 0 && n.GetProperty("topRx")[0].GetProperty("ip").GetString() == NamespaceLab.H2
            || n.GetProperty("actualRxBps").GetDouble() > 10e6, "h2's download counted on wan0");
        await WaitForNicAsync(server, "wan1", n => n.GetProperty("incident").ValueKind == JsonValueKind.Null, "wan1's incident to close once h2 is off it");
        Assert.Equal(JsonValueKind.Null, Nic(await server.StatusAsync(), "wan0").GetProperty("incident").ValueKind); // 20 of wan0's 25: no incident there
    }

    private static JsonElement Nic(JsonElement status, string name) =>
        status.GetProperty("nics").EnumerateArray().Single(n => n.GetProperty("name").GetString() == name);

    /// <summary>The incidents page lists the incident, and its CSV download holds it.</summary>
    private static async Task AssertIncidentsPageAsync(Microsoft.Playwright.IPage page, RoutingFlowServer server, long id)
    {
        await page.GotoAsync(server.Http.BaseAddress + "incidents");
        var row = page.Locator("[data-testid=incident-row]").First;
        await Assertions.Expect(row.Locator("td").Nth(0)).ToHaveTextAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 20_000 });
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("wan1");
        await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("closed");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=download-csv]").ClickAsync());
        Assert.Equal("incidents.csv", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains($"\r\n{id},wan1,closed,", csv, StringComparison.Ordinal);
        Assert.Contains(NamespaceLab.H2, csv, StringComparison.Ordinal);
        await PlaywrightBrowser.ScreenshotAsync(page, "incidents");
        await page.GotoAsync(server.Http.BaseAddress + $"incidents/{id}");
        await Assertions.Expect(page.Locator("[data-testid=incident-chart] path.rf-line")).ToHaveCountAsync(3, new() { Timeout = 20_000 });
        await PlaywrightBrowser.ScreenshotAsync(page, "incident");
    }

    /// <summary>The receiver on the router's loopback got the start and the end of the incident, in that order.</summary>
    private static async Task AssertAlertedAsync(NamespaceLab lab, long id)
    {
        var alerts = await Eventually.WaitAsync<object>(async () =>
        {
            var log = (await lab.ExecAsync("router", "curl", "-s", "--max-time", "5", "http://127.0.0.1:9099/webhook/log")).StandardOutput;
            var doc = JsonDocument.Parse(log.Length > 0 ? log : "[]").RootElement;
            return doc.GetArrayLength() >= 2 ? doc.Clone() : null;
        }, Wait, "the webhook to get the start and the end") is JsonElement e ? e : default;
        Assert.Equal(["overload_started", "overload_ended"], alerts.EnumerateArray().Select(a => a.GetProperty("event").GetString()));
        Assert.All(alerts.EnumerateArray(), a => Assert.Equal((id, "wan1"), (a.GetProperty("incidentId").GetInt64(), a.GetProperty("nic").GetString())));
        Assert.StartsWith("wan1 is overloaded:", alerts[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains(" Cause: demand (", alerts[1].GetProperty("text").GetString(), StringComparison.Ordinal); // diagnosed while open
        Assert.Contains($" Advice: move {NamespaceLab.H2} (", alerts[1].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Exactly the one closed incident on wan1 (none on wan0), as JSON and as CSV.</summary>
    private static async Task AssertStoredAsync(RoutingFlowServer server, long id)
    {
        using var json = JsonDocument.Parse(await server.Http.GetStringAsync("api/incidents"));
        var stored = Assert.Single(json.RootElement.GetProperty("incidents").EnumerateArray());
        Assert.Equal((id, "wan1", "closed"), (stored.GetProperty("id").GetInt64(), stored.GetProperty("nic").GetString(), stored.GetProperty("state").GetString()));
        Assert.Equal(NamespaceLab.H2, stored.GetProperty("topRx")[0].GetProperty("ip").GetString());
        var csv = (await server.Http.GetStringAsync("api/incidents?format=csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, csv.Length);
        Assert.StartsWith($"{id},wan1,closed,", csv[1], StringComparison.Ordinal);
        Assert.Contains(NamespaceLab.H2, csv[1], StringComparison.Ordinal);
    }

    private static async Task SetCorrectionAsync(RoutingFlowServer server, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"tcpflow?value={value}") { Headers = { { "X-Api-Key", "lab-key" } } };
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<JsonElement> WaitForNicAsync(RoutingFlowServer server, string nic, Func<JsonElement, bool> condition, string what) =>
        (JsonElement)await Eventually.WaitAsync<object>(async () =>
        {
            var entry = (await server.StatusAsync()).GetProperty("nics").EnumerateArray().Single(n => n.GetProperty("name").GetString() == nic);
            return condition(entry) ? entry : null;
        }, Wait, what);
}
