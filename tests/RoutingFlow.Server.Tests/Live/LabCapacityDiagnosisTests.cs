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
/// A line that gets worse, in the lab: wan0 50 Mbit/s, wan1 20, download probes; h2 (on wan1) pulls a steady
/// 8 Mbit/s TCP stream throughout. The probes run on that loaded line and still measure it (the probe's own rate
/// plus the line's other traffic from the interface's kernel counter: ~20 Mbit/s, not the ~12 left over). Then
/// tc cuts wan1 to 5 Mbit/s and the next probe round measures ~5: the incident that opens is diagnosed
/// <c>capacity</c>, with the capacity before and during within 10% of the shaped rates. The capture is downstream
/// of the ISP's shaper, so a line that demand saturates reads 95–100% (<c>full</c>) and never more; the test alerts at
/// 90% (<c>Monitor:Threshold=0.9</c>, as an operator would who wants to hear of a full line). In Chromium, the
/// incident page shows the cause and the evidence chart with its baseline window, and the card's Apply button
/// (signed in with the key) applies the plan.
/// </summary>
public sealed class LabCapacityDiagnosisTests(ITestOutputHelper output)
{
    private const string NicJson = """{"nics":[{"name":"wan0","interface":"wan0"},{"name":"wan1","interface":"wan1"}]}""";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [RootFact]
    public async Task CapacityCut_UnderSteadyTraffic_IsDiagnosedCapacity_WithTheShapedRatesAsEvidence()
    {
        await using var lab = await NamespaceLab.StartAsync("50mbit", "20mbit");
        await lab.StartProbeServersAsync();
        lab.Start("inet", "iperf3", "-s", "-p", "5201");
        await Eventually.WaitAsync(async () => (await lab.ExecAsync("inet", "ss", "-ltn", "sport = :5201")).StandardOutput.Contains("5201", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "iperf3 listening in inet");
        var steadyDownload = lab.Start("h2", "iperf3", "-c", NamespaceLab.Server, "-p", "5201", "-R", "-b", "8M", "-t", "300"); // steady, under wan1's 20
        var data = Directory.CreateTempSubdirectory("rf-data-").FullName;
        try
        {
            await using var server = await RoutingFlowServer.StartAsync(NicJson,
            [
                "--RoutingFlow:Capture:Interfaces:0:Name=lan0", "--RoutingFlow:Capture:Interfaces:0:Role=lan", "--RoutingFlow:Capture:RateWindow=00:00:02",
                $"--RoutingFlow:Mapping:Static:0:Cidr={NamespaceLab.H1}/32", "--RoutingFlow:Mapping:Static:0:Nic=wan0",
                $"--RoutingFlow:Mapping:Static:1:Cidr={NamespaceLab.H2}/32", "--RoutingFlow:Mapping:Static:1:Nic=wan1",
                "--RoutingFlow:Probe:Targets:0:Method=download", $"--RoutingFlow:Probe:Targets:0:Url=http://{NamespaceLab.Isp0}/bytes",
                "--RoutingFlow:Probe:Targets:1:Method=download", $"--RoutingFlow:Probe:Targets:1:Url=http://{NamespaceLab.Isp1}/bytes",
                "--RoutingFlow:Monitor:Threshold=0.9", "--RoutingFlow:Security:ApiKey=lab-key", $"--RoutingFlow:DataDirectory={data}",
            ], listen: NamespaceLab.RouterAddress, lab: lab);

            var before = await ProbedAsync(server, DateTimeOffset.MinValue, "the first probe round, on the loaded line");
            AssertNear("capacity of wan1 under 8 Mbit/s of traffic", 20e6, before.Capacity);
            // h2's stream yields some of its 8 Mbit/s to the probe while they share the line (5.6–7.3 seen): the probe counted it
            Assert.True(before.Cross > 2e6, $"the probe counted the others' traffic on wan1: {before.Cross / 1e6:F2} Mbit/s");
            var steady = await WaitForNicAsync(server, n => n.GetProperty("actualRxBps").GetDouble() is > 7e6 and < 10e6, "h2's steady 8 Mbit/s on wan1");
            Assert.Equal(JsonValueKind.Null, steady.GetProperty("incident").ValueKind);
            var flushed = DateTimeOffset.UtcNow.AddSeconds(10); // a baseline of stored samples with the traffic and the old capacity
            await Eventually.WaitAsync(async () => (await server.StatusAsync()).GetProperty("storage").GetProperty("lastFlush").GetDateTimeOffset() > flushed, Wait, "the baseline stored");

            await lab.ShapeAsync("wan1", "5mbit");
            var cut = DateTimeOffset.UtcNow;
            using (var run = new HttpRequestMessage(HttpMethod.Post, "api/probe/run") { Headers = { { "X-Api-Key", "lab-key" } } })
                (await server.Http.SendAsync(run)).EnsureSuccessStatusCode();
            var after = await ProbedAsync(server, cut, "the probe round after the cut");
            AssertNear("capacity of wan1 after the cut", 5e6, after.Capacity);

            var open = await WaitForNicAsync(server, n => n.GetProperty("incident").ValueKind == JsonValueKind.Object, "an incident on wan1");
            var id = open.GetProperty("incident").GetProperty("id").GetInt64();
            var diagnosis = await DiagnosisAsync(server, id);
            output.WriteLine($"diagnosis: {diagnosis}");
            Assert.Equal("capacity", diagnosis.GetProperty("cause").GetString());
            Assert.InRange(diagnosis.GetProperty("confidence").GetDouble(), 0.5, 1.0);
            AssertNear("capacity before", 20e6, diagnosis.GetProperty("capacityBefore").GetProperty("rxBps").GetDouble());
            AssertNear("capacity during", 5e6, diagnosis.GetProperty("capacityDuring").GetProperty("rxBps").GetDouble());
            Assert.StartsWith("wan1 is full because its rx capacity fell from ", diagnosis.GetProperty("text").GetString(), StringComparison.Ordinal);
            await BrowserAsync(server, id);

            await steadyDownload.DisposeAsync(); // the traffic stops: the incident closes and its diagnosis is made a last time
            var final = await DiagnosisAsync(server, id, closed: true);
            output.WriteLine($"final diagnosis: {final}");
            Assert.Equal("capacity", final.GetProperty("cause").GetString());
            // h2's TCP stream, seen by the analysis on lan0, gives the loss of both windows (how much depends on where tbf dropped it)
            Assert.Equal(JsonValueKind.Number, final.GetProperty("lossBefore").ValueKind);
            Assert.Equal(JsonValueKind.Number, final.GetProperty("lossDuring").ValueKind);
            Assert.Equal(0, RoutingFlowServer.Value(await server.MetricsAsync(), "routingflow_overload_incidents_total", "nic=\"wan0\""));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>
    /// In Chromium: the incident page's evidence (the cause, and the chart with the baseline window shaded); then, signed
    /// in with the key (the browser is not on loopback), the card's Apply button applies the plan (h2 to wan0).
    /// </summary>
    private static async Task BrowserAsync(RoutingFlowServer server, long id)
    {
        await using var browser = await PlaywrightBrowser.LaunchAsync(NamespaceLab.RouterAddress);
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(server.Http.BaseAddress + $"incidents/{id}");
        await Assertions.Expect(page.Locator("[data-testid=incident-cause]")).ToContainTextAsync("capacity (", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=incident-chart] rect.rf-baseline")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=incident-chart] path.rf-line")).Not.ToHaveCountAsync(0);
        await PlaywrightBrowser.ScreenshotAsync(page, "incident-capacity");

        await page.GotoAsync(server.Http.BaseAddress!.ToString());
        await Assertions.Expect(page.Locator("[data-testid=wan-wan1] [data-testid=advice-signin]")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await page.GotoAsync(server.Http.BaseAddress + "signin?returnUrl=%2F");
        await page.Locator("[data-testid=signin-key]").FillAsync("lab-key");
        await page.Locator("[data-testid=signin-submit]").ClickAsync();
        // The page is interactive (its circuit connected) once the overview's clock moves: a click before that is lost.
        var updated = page.Locator("[data-testid=updated]");
        await Assertions.Expect(updated).ToContainTextAsync("updated ", new() { Timeout = 20_000 });
        await Assertions.Expect(updated).Not.ToHaveTextAsync(await updated.TextContentAsync() ?? "", new() { Timeout = 20_000 });
        await page.Locator("[data-testid=wan-wan1] [data-testid=advice-apply]").ClickAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=wan-wan1] [data-testid=advice-message]")).ToContainTextAsync(NamespaceLab.H2, new() { Timeout = 20_000 });
        using var overrides = JsonDocument.Parse(await server.Http.GetStringAsync("api/advice/overrides"));
        var applied = Assert.Single(overrides.RootElement.GetProperty("overrides").EnumerateArray());
        Assert.Equal((NamespaceLab.H2, "wan0"), (applied.GetProperty("target").GetString(), applied.GetProperty("nic").GetString()));
    }

    private void AssertNear(string what, double expected, double actual)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {actual / 1e6:F2} Mbit/s ({actual / expected - 1:P1} from {expected / 1e6} Mbit/s)"));
        Assert.InRange(actual, expected * 0.9, expected * 1.1);
    }

    /// <summary>wan1's download target once it has a result newer than <paramref name="since"/>: its estimate and the cross traffic it counted.</summary>
    private async Task<(double Capacity, double Cross)> ProbedAsync(RoutingFlowServer server, DateTimeOffset since, string what)
    {
        var target = (JsonElement)await Eventually.WaitAsync<object>(async () =>
        {
            var json = JsonDocument.Parse(await server.Http.GetStringAsync("api/probe")).RootElement.Clone();
            var wan1 = json.GetProperty("interfaces").EnumerateArray().Single(i => i.GetProperty("interface").GetString() == "wan1");
            var t = wan1.GetProperty("targets")[0];
            return t.GetProperty("lastSuccess").ValueKind == JsonValueKind.String && t.GetProperty("lastSuccess").GetDateTimeOffset() > since ? t : null;
        }, Wait, what);
        output.WriteLine($"{what}: {target}");
        return (target.GetProperty("estimateBps").GetDouble(), target.GetProperty("crossTrafficBps").GetDouble());
    }

    /// <summary>The incident's diagnosis, once there is one (and, with <paramref name="closed"/>, once the incident has closed and been diagnosed at its close).</summary>
    private static async Task<JsonElement> DiagnosisAsync(RoutingFlowServer server, long id, bool closed = false) =>
        (JsonElement)await Eventually.WaitAsync<object>(async () =>
        {
            var incident = JsonDocument.Parse(await server.Http.GetStringAsync($"api/incidents/{id}")).RootElement.Clone();
            var d = incident.GetProperty("diagnosis");
            if (d.ValueKind != JsonValueKind.Object || closed && incident.GetProperty("state").GetString() != "closed")
                return null;
            return !closed || d.GetProperty("during").GetProperty("rxBps").ValueKind == JsonValueKind.Number && d.GetProperty("lossDuring").ValueKind == JsonValueKind.Number ? d : null;
        }, Wait, closed ? "the incident to close and its last diagnosis" : "the incident's diagnosis");

    private static async Task<JsonElement> WaitForNicAsync(RoutingFlowServer server, Func<JsonElement, bool> condition, string what) =>
        (JsonElement)await Eventually.WaitAsync<object>(async () =>
        {
            var entry = (await server.StatusAsync()).GetProperty("nics").EnumerateArray().Single(n => n.GetProperty("name").GetString() == "wan1");
            return condition(entry) ? entry : null;
        }, Wait, what);
}
