using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using RoutingFlow.Capture.Probing;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Processes;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// Probe failures in the lab: an unknown interface, an unresolvable name, a refused port, a server that accepts
/// and never answers, one that closes mid-body. Each shows its reason in /api/probe and the failure metric and
/// backs off, while the other targets keep their estimates. Also: the window estimate against ss, and the
/// correction factor refused to a non-loopback client without the key.
/// </summary>
public sealed class LabProbeFailureTests
{
    private const string NicJson = """{"nics":[{"name":"wan0","interface":"wan0"},{"name":"wan1","interface":"wan1"}]}""";

    private static readonly string[] Settings =
    [
        "--RoutingFlow:Probe:Interfaces:0=wan0", "--RoutingFlow:Probe:Interfaces:1=nope0",
        "--RoutingFlow:Probe:Interval:Window=00:00:01", "--RoutingFlow:Probe:Interval:Download=00:00:02",
        "--RoutingFlow:Probe:ConnectTimeout=00:00:01", "--RoutingFlow:Probe:Duration=00:00:01",
        $"--RoutingFlow:Probe:Targets:0:Server={NamespaceLab.Isp0Name}", "--RoutingFlow:Probe:Targets:0:Port=80",
        "--RoutingFlow:Probe:Targets:1:Server=nope.lab", "--RoutingFlow:Probe:Targets:1:Port=80",
        $"--RoutingFlow:Probe:Targets:2:Server={NamespaceLab.Isp0}", "--RoutingFlow:Probe:Targets:2:Port=81",
        "--RoutingFlow:Probe:Targets:3:Method=download", $"--RoutingFlow:Probe:Targets:3:Url=http://{NamespaceLab.Isp0}/hang",
        "--RoutingFlow:Probe:Targets:4:Method=download", $"--RoutingFlow:Probe:Targets:4:Url=http://{NamespaceLab.Isp0}/truncate?after=2000000",
        "--RoutingFlow:Probe:Targets:5:Method=download", $"--RoutingFlow:Probe:Targets:5:Url=http://{NamespaceLab.Isp0Name}/bytes",
        "--RoutingFlow:Security:ApiKey=lab-key",
    ];

    [RootFact]
    public async Task EachFailure_ShowsItsReason_BacksOff_AndLeavesTheOtherEstimatesAlone()
    {
        await using var lab = await NamespaceLab.StartAsync("20mbit", "10mbit");
        await lab.StartProbeServersAsync();
        var data = Directory.CreateTempSubdirectory("rf-data-").FullName;
        await using var server = await RoutingFlowServer.StartAsync(NicJson, [.. Settings, $"--RoutingFlow:DataDirectory={data}"],
            listen: NamespaceLab.RouterAddress, lab: lab);

        var probes = await Eventually.WaitAsync<object>(async () =>
        {
            var json = await ProbesAsync(server);
            return Target(json, "wan0", 2).GetProperty("consecutiveFailures").GetInt64() >= 3 && Target(json, "wan0", 3).GetProperty("consecutiveFailures").GetInt64() >= 1
                && Target(json, "wan0", 5).GetProperty("state").GetString() == "ok" ? json : null;
        }, TimeSpan.FromSeconds(60), "three failures of the refused target and a round of the rest") is JsonElement e ? e : default;

        AssertReason(probes, 1, "resolve", "cannot resolve 'nope.lab'");
        AssertReason(probes, 2, "refused", "refused");
        AssertReason(probes, 3, "timeout", "did not answer within");
        AssertReason(probes, 4, "closed", "closed the connection");
        var refused = Target(probes, "wan0", 2);
        var backoff = refused.GetProperty("nextRun").GetDateTimeOffset() - refused.GetProperty("lastAttempt").GetDateTimeOffset();
        Assert.True(backoff >= TimeSpan.FromSeconds(4), $"back-off after {refused.GetProperty("consecutiveFailures").GetInt64()} failures: {backoff}");
        foreach (var ok in new[] { 0, 5 })
            Assert.Equal("ok", Target(probes, "wan0", ok).GetProperty("state").GetString());
        Assert.InRange(Target(probes, "wan0", 5).GetProperty("estimateBps").GetDouble(), 18e6, 22e6);
        foreach (var target in Interface(probes, "nope0").GetProperty("targets").EnumerateArray())
        {
            Assert.Equal("interface", target.GetProperty("failureReason").GetString());
            Assert.StartsWith("interface 'nope0' does not exist", target.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(("degraded", "unknown"), (Interface(probes, "wan0").GetProperty("state").GetString(), Interface(probes, "nope0").GetProperty("state").GetString()));
        var metrics = await server.MetricsAsync();
        foreach (var (serverIp, reason) in new[] { ("nope.lab", "resolve"), (NamespaceLab.Isp0, "refused"), (NamespaceLab.Isp0, "timeout"), (NamespaceLab.Isp0, "closed") })
            Assert.True(RoutingFlowServer.Value(metrics, "tcp_traffic_scan_probe_failures_total", $"interface=\"wan0\",server_ip=\"{serverIp}\",reason=\"{reason}\"") >= 1, $"{serverIp} {reason}");
        Assert.Null(RoutingFlowServer.Value(metrics, "tcp_traffic_scan_tcp_bandwidth_avg_bps", "interface=\"nope0\""));
        Assert.NotNull(RoutingFlowServer.Value(metrics, "tcp_traffic_scan_tcp_bandwidth_mbps", $"interface=\"wan0\",server_ip=\"{NamespaceLab.Isp0Name}\""));
        Assert.Single(Regex.Matches(server.Output, $"Probe window {Regex.Escape(NamespaceLab.Isp0)}:81 on wan0 failed"));
        Assert.Matches(new Regex(@"wan0: \|isp0\.lab:\d+Mbps\|nope\.lab:N/A\|198\.51\.100\.1:ERR\|"), server.Output);

        await CorrectionNeedsTheKeyFromElsewhereAsync(server);
        Directory.Delete(data, recursive: true);
    }

    // The test talks to the server over the lab's management link: a non-loopback client.
    private static async Task CorrectionNeedsTheKeyFromElsewhereAsync(RoutingFlowServer server)
    {
        using var refused = await server.Http.GetAsync("tcpflow?value=2");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("need the X-Api-Key header", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Current correction factor: 1", await server.Http.GetStringAsync("tcpflow"));

        Assert.Equal("Correction factor set to: 2", await SendWithKeyAsync(server, "tcpflow?value=2", HttpStatusCode.OK));
        Assert.Equal("invalid correction factor '-1': must be a positive number", await SendWithKeyAsync(server, "tcpflow?value=-1", HttpStatusCode.BadRequest));
        Assert.Equal("Current correction factor: 2", await server.Http.GetStringAsync("tcpflow"));
    }

    [RootFact]
    public async Task Window_IsReceiveBufferTimes8OverRtt_AsSsShowsTheSameConnection()
    {
        await using var lab = await NamespaceLab.StartAsync();
        await lab.StartProbeServersAsync($"{NamespaceLab.RouterAddress}:8081");
        var connector = new ProbeConnector($"rfm-{lab.Id}", TimeSpan.FromSeconds(3));
        using var socket = await connector.ConnectAsync(NamespaceLab.RouterAddress, 8081, null, CancellationToken.None);

        var result = WindowProbe.Measure(socket, TimeSpan.FromMilliseconds(1));
        var ss = (await ProcessRunner.RunAsync("ss", ["-tmiH", "dst", $"{NamespaceLab.RouterAddress}:8081"], TimeSpan.FromSeconds(10))).StandardOutput;

        var rb = long.Parse(Regex.Match(ss, @"\brb(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var rttMs = double.Parse(Regex.Match(ss, @"\brtt:([\d.]+)/").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var rcvSpace = long.Parse(Regex.Match(ss, @"\brcv_space:(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(rb, result.ReceiveBuffer);
        Assert.Equal(rcvSpace, result.ReceiveSpace);
        Assert.Equal(rttMs, result.Rtt!.Value.TotalMilliseconds, 3);
        Assert.Equal(rb * 8 / (rttMs / 1000), result.GoodputBps!.Value, result.GoodputBps.Value * 1e-9);
        var mss = long.Parse(Regex.Match(ss, @"\bmss:(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(mss, result.Mss); // ss's mss (snd_mss; nothing received yet): the wire factor's MSS is the kernel's
        Assert.Equal(result.GoodputBps.Value * (mss + 14 + 20 + 20 + 12) / mss, result.EstimateBps!.Value, 1.0);
    }

    private static async Task<string> SendWithKeyAsync(RoutingFlowServer server, string path, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "X-Api-Key", "lab-key" } } };
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static void AssertReason(JsonElement probes, int index, string reason, string error)
    {
        var target = Target(probes, "wan0", index);
        Assert.Equal(("failed", reason), (target.GetProperty("state").GetString(), target.GetProperty("failureReason").GetString()));
        Assert.Contains(error, target.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    private static JsonElement Interface(JsonElement probes, string itf) =>
        probes.GetProperty("interfaces").EnumerateArray().Single(i => i.GetProperty("interface").GetString() == itf);

    private static JsonElement Target(JsonElement probes, string itf, int index) => Interface(probes, itf).GetProperty("targets")[index];

    private static async Task<JsonElement> ProbesAsync(RoutingFlowServer server)
    {
        using var doc = JsonDocument.Parse(await server.Http.GetStringAsync("api/probe"));
        return doc.RootElement.Clone();
    }
}
