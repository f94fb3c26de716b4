using System.Globalization;
using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Waiting;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// The server on the lab router probing both WANs at once, through tbf-shaped links, against the speed-test
/// server inside each ISP: every download and upload estimate, in wire bits (goodput × the headers per measured
/// MSS), within ±3% of the shaped rate (20, 50 and 200 Mbit/s; tbf counts frames as a capture does), and each
/// probe's bytes on its own interface's kernel counters. The line carries nothing else, so its counter over the
/// probe's window adds (almost) no cross traffic.
/// </summary>
public sealed class LabProbeAccuracyTests(ITestOutputHelper output)
{
    private const double Tolerance = 0.03;
    private const string NicJson = """{"nics":[{"name":"wan0","interface":"wan0"},{"name":"wan1","interface":"wan1"}]}""";

    private static readonly string[] Targets =
    [
        "--RoutingFlow:Probe:Targets:0:Method=download", $"--RoutingFlow:Probe:Targets:0:Url=http://{NamespaceLab.Isp0Name}/bytes",
        "--RoutingFlow:Probe:Targets:1:Method=download", $"--RoutingFlow:Probe:Targets:1:Url=http://{NamespaceLab.Isp1}/bytes",
        "--RoutingFlow:Probe:Targets:2:Method=upload", $"--RoutingFlow:Probe:Targets:2:Url=http://{NamespaceLab.Isp0Name}/sink",
        "--RoutingFlow:Probe:Targets:3:Method=upload", $"--RoutingFlow:Probe:Targets:3:Url=http://{NamespaceLab.Isp1}/sink",
    ];

    [RootFact]
    public async Task DownloadAndUpload_BothWansAtOnce_InWireBitsWithinThreePercentOfTheShapedRate()
    {
        await using var lab = await NamespaceLab.StartAsync("20mbit", "50mbit");
        await lab.StartProbeServersAsync();
        var data = Directory.CreateTempSubdirectory("rf-data-").FullName;
        var beforeStart = await CountersAsync(lab, null); // the first round runs at start-up
        await using var server = await RoutingFlowServer.StartAsync(NicJson, [.. Targets, $"--RoutingFlow:DataDirectory={data}", "--RoutingFlow:Security:ApiKey=lab-key"],
            listen: NamespaceLab.RouterAddress, lab: lab);

        await RoundAsync(lab, server, beforeStart, 20e6, 50e6, firstRound: true);
        await lab.ShapeAsync("wan0", "200mbit");
        await RoundAsync(lab, server, await CountersAsync(lab, server), 200e6, 50e6, firstRound: false);
        Directory.Delete(data, recursive: true);
    }

    private async Task RoundAsync(NamespaceLab lab, RoutingFlowServer server, Dictionary<string, Counters> before, double wan0, double wan1, bool firstRound)
    {
        var started = DateTimeOffset.UtcNow;
        if (!firstRound)
        {
            using var run = new HttpRequestMessage(HttpMethod.Post, "api/probe/run") { Headers = { { "X-Api-Key", "lab-key" } } };
            (await server.Http.SendAsync(run)).EnsureSuccessStatusCode(); // the test is a non-loopback client: it needs the key
        }
        var probes = await Eventually.WaitAsync<object>(async () =>
        {
            var json = JsonDocument.Parse(await server.Http.GetStringAsync("api/probe")).RootElement;
            var targets = json.GetProperty("interfaces").EnumerateArray().SelectMany(i => i.GetProperty("targets").EnumerateArray()).ToList();
            return targets.All(t => t.GetProperty("lastAttempt").ValueKind == JsonValueKind.String
                && (firstRound || t.GetProperty("lastAttempt").GetDateTimeOffset() > started)) ? json : null;
        }, TimeSpan.FromSeconds(90), "every target probed on both WANs") is JsonElement e ? e : default;
        var after = await CountersAsync(lab, server);

        foreach (var (itf, rate) in new[] { ("wan0", wan0), ("wan1", wan1) })
        {
            var json = probes.GetProperty("interfaces").EnumerateArray().Single(i => i.GetProperty("interface").GetString() == itf);
            foreach (var target in json.GetProperty("targets").EnumerateArray())
            {
                var estimate = target.GetProperty("estimateBps").GetDouble();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{itf} shaped {rate / 1e6} Mbit/s: {target.GetProperty("method").GetString()} {target.GetProperty("server").GetString()} {estimate / 1e6:F2} Mbit/s ({estimate / rate - 1:P1}, mss {target.GetProperty("mss")}), {target.GetProperty("transferredBytes").GetInt64():N0} bytes in {target.GetProperty("elapsedSeconds").GetDouble():F2} s, rtt {target.GetProperty("rttSeconds").GetDouble() * 1000:F1} ms"));
                Assert.Equal("ok", target.GetProperty("state").GetString());
                Assert.InRange(target.GetProperty("mss").GetInt64(), 1400, 8948); // what the path gave (the lab's veths carry 9000-byte frames; its ISPs' servers may send 1500-byte ones)
                var (line, cross) = (target.GetProperty("lineBps").GetDouble(), target.GetProperty("crossTrafficBps").GetDouble());
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  line {line / 1e6:F2} Mbit/s, cross traffic {cross / 1e6:F3} Mbit/s"));
                Assert.Equal(target.GetProperty("goodputBps").GetDouble() * target.GetProperty("wireFactor").GetDouble() + cross, estimate, estimate * 1e-3);
                Assert.InRange(cross, 0, rate * 0.01); // an idle line: its kernel counter is the probe's own frames'
                Assert.InRange(line, estimate * 0.98, estimate);
                Assert.InRange(estimate, rate * (1 - Tolerance), rate * (1 + Tolerance));
            }
            Assert.InRange(json.GetProperty("rxCapacityBps").GetDouble(), rate * (1 - Tolerance), rate * (1 + Tolerance));
            Assert.InRange(json.GetProperty("txCapacityBps").GetDouble(), rate * (1 - Tolerance), rate * (1 + Tolerance));
            AssertOwnInterface(itf, before[itf], after[itf]);
        }
    }

    /// <summary>The probe's bytes counted per interface match that interface's kernel counters: each probe left by its own WAN.</summary>
    private void AssertOwnInterface(string itf, Counters before, Counters after)
    {
        var (kernelRx, kernelTx) = (after.KernelRx - before.KernelRx, after.KernelTx - before.KernelTx);
        var (probeRx, probeTx) = (after.ProbeRx - before.ProbeRx, after.ProbeTx - before.ProbeTx);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{itf}: kernel rx {kernelRx:N0} tx {kernelTx:N0} bytes; routingflow_probe_bytes_total rx {probeRx:N0} ({probeRx / kernelRx - 1:P2}) tx {probeTx:N0} ({probeTx / kernelTx - 1:P2})"));
        Assert.InRange(probeRx, kernelRx * 0.95, kernelRx * 1.05);
        Assert.InRange(probeTx, kernelTx * 0.95, kernelTx * 1.05);
    }

    private static async Task<Dictionary<string, Counters>> CountersAsync(NamespaceLab lab, RoutingFlowServer? server)
    {
        var metrics = server is null ? "" : await server.MetricsAsync();
        var result = new Dictionary<string, Counters>();
        foreach (var itf in new[] { "wan0", "wan1" })
        {
            var (rx, tx) = await lab.InterfaceBytesAsync("router", itf);
            result[itf] = new Counters(rx, tx,
                RoutingFlowServer.Value(metrics, "routingflow_probe_bytes_total", $"interface=\"{itf}\",direction=\"rx\"") ?? 0,
                RoutingFlowServer.Value(metrics, "routingflow_probe_bytes_total", $"interface=\"{itf}\",direction=\"tx\"") ?? 0);
        }
        return result;
    }

    private sealed record Counters(double KernelRx, double KernelTx, double ProbeRx, double ProbeTx);
}
