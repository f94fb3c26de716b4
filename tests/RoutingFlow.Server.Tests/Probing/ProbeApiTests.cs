using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Http;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Server.Tests.Probing;

/// <summary>
/// The real server probing loopback (bound to <c>lo</c>) against the lab's speed-test server: /tcpflow's exact
/// texts, the factor applied at once and kept across a restart, /api/probe, /status and the metrics.
/// </summary>
[Collection(MeasuringCollection.Name)]
public sealed class ProbeApiTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("rf-data-").FullName;
    private ProbeTestServer _speed = null!;

    public Task InitializeAsync()
    {
        _speed = ProbeTestServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _speed.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private Task<RoutingFlowServer> StartAsync(params string[] more) => RoutingFlowServer.StartAsync("""{"wan0":"lo"}""",
    [
        $"--RoutingFlow:DataDirectory={_data}", "--RoutingFlow:Probe:Duration=00:00:00.6",
        "--RoutingFlow:Probe:Targets:0:Server=127.0.0.1", $"--RoutingFlow:Probe:Targets:0:Port={_speed.Endpoints[0].Port}",
        "--RoutingFlow:Probe:Targets:1:Method=download", $"--RoutingFlow:Probe:Targets:1:Url={_speed.Url("/bytes")}",
        "--RoutingFlow:Probe:Targets:2:Method=upload", $"--RoutingFlow:Probe:Targets:2:Url={_speed.Url("/sink")}",
        "--RoutingFlow:Probe:Targets:3:Server=127.0.0.1", $"--RoutingFlow:Probe:Targets:3:Port={PrometheusServer.FreePort()}",
        .. more,
    ]);

    [Fact]
    public async Task TcpFlow_OriginalTexts_ApplyAtOnce_AndSurviveARestart()
    {
        await using (var server = await StartAsync())
        {
            Assert.Equal("Current correction factor: 1", await server.Http.GetStringAsync("tcpflow"));
            await WaitForEstimatesAsync(server);

            Assert.Equal("Correction factor set to: 10", await server.Http.GetStringAsync("tcpflow?value=10.0"));

            Assert.Equal("Current correction factor: 10", await server.Http.GetStringAsync("tcpflow"));
            var target = Target(await ProbesAsync(server), 1);
            Assert.Equal(target.GetProperty("rawEstimateBps").GetDouble() * 10, target.GetProperty("estimateBps").GetDouble(), 10.0); // both whole bit/s, rounded apart
            var metrics = await server.MetricsAsync();
            Assert.Equal(10, RoutingFlowServer.Value(metrics, "tcp_traffic_scan_correction_factor", ""));
            Assert.True(RoutingFlowServer.Value(metrics, "tcp_traffic_scan_tcp_bandwidth_avg_bps", "interface=\"lo\"") > 0);
            Assert.Equal("Correction factor set to: 0.5", await server.Http.GetStringAsync("tcpflow?value=0.5"));
        }
        await using (var restarted = await StartAsync())
            Assert.Equal("Current correction factor: 0.5", await restarted.Http.GetStringAsync("tcpflow"));
    }

    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("-1", "-1")]
    [InlineData("0", "0")]
    [InlineData("NaN", "NaN")]
    [InlineData("1e400", "1e400")]
    [InlineData("", "")]
    public async Task TcpFlow_BadValue_Is400WithTheContractText(string value, string shown)
    {
        await using var server = await StartAsync();

        using var response = await server.Http.GetAsync($"tcpflow?value={Uri.EscapeDataString(value)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"invalid correction factor '{shown}': must be a positive number", await response.Content.ReadAsStringAsync());
        Assert.Equal("Current correction factor: 1", await server.Http.GetStringAsync("tcpflow"));
    }

    [Fact]
    public async Task ApiProbe_ShowsEachTarget_TheFailingOneWithItsReason_AndStatusShowsTheCapacity()
    {
        await using var server = await StartAsync();

        var probes = await WaitForEstimatesAsync(server);

        var itf = probes.GetProperty("interfaces")[0];
        Assert.Equal(("lo", "wan0", "degraded"), (itf.GetProperty("interface").GetString(), itf.GetProperty("nic").GetString(), itf.GetProperty("state").GetString()));
        foreach (var (index, method) in new[] { (0, "window"), (1, "download"), (2, "upload") })
        {
            var target = Target(probes, index);
            Assert.Equal(method, target.GetProperty("method").GetString());
            Assert.Equal("ok", target.GetProperty("state").GetString());
            Assert.True(target.GetProperty("estimateBps").GetDouble() > 0);
            Assert.True(target.GetProperty("rttSeconds").GetDouble() > 0);
        }
        var refused = Target(probes, 3);
        Assert.Equal(("failed", "refused"), (refused.GetProperty("state").GetString(), refused.GetProperty("failureReason").GetString()));
        Assert.Contains("refused", refused.GetProperty("lastError").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(itf.GetProperty("probeRxBytes").GetInt64() > 0 && itf.GetProperty("probeTxBytes").GetInt64() > 0);

        var nic = (await server.StatusAsync()).GetProperty("nics")[0];
        Assert.True(nic.GetProperty("rxCapacityBps").GetDouble() > 0 && nic.GetProperty("txCapacityBps").GetDouble() > 0);
        Assert.Equal("degraded", nic.GetProperty("probeState").GetString());
        var metrics = await server.MetricsAsync();
        Assert.True(RoutingFlowServer.Value(metrics, "tcp_traffic_scan_probe_failures_total", "interface=\"lo\",server_ip=\"127.0.0.1\",reason=\"refused\"") >= 1);
        Assert.True(RoutingFlowServer.Value(metrics, "routingflow_wan_capacity_bps", "nic=\"wan0\",direction=\"tx\"") > 0);
        Assert.True(RoutingFlowServer.Value(metrics, "routingflow_probe_bytes_total", "interface=\"lo\",direction=\"rx\"") > 0);
    }

    [Fact]
    public async Task NoTargets_ProbesNothing_AndSaysSo()
    {
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"lo"}""", [$"--RoutingFlow:DataDirectory={_data}"]);

        var probes = await ProbesAsync(server);

        Assert.False(probes.GetProperty("enabled").GetBoolean());
        Assert.Empty(probes.GetProperty("interfaces")[0].GetProperty("targets").EnumerateArray());
        Assert.Equal("disabled", (await server.StatusAsync()).GetProperty("nics")[0].GetProperty("probeState").GetString());
        Assert.DoesNotContain("tcp_traffic_scan_tcp_bandwidth_avg_bps{", await server.MetricsAsync(), StringComparison.Ordinal);
    }

    private static JsonElement Target(JsonElement probes, int index) => probes.GetProperty("interfaces")[0].GetProperty("targets")[index];

    private static async Task<JsonElement> ProbesAsync(RoutingFlowServer server)
    {
        using var doc = JsonDocument.Parse(await server.Http.GetStringAsync("api/probe"));
        return doc.RootElement.Clone();
    }

    private static async Task<JsonElement> WaitForEstimatesAsync(RoutingFlowServer server) =>
        (JsonElement)await Eventually.WaitAsync<object>(async () =>
        {
            var probes = await ProbesAsync(server);
            var states = probes.GetProperty("interfaces")[0].GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("state").GetString()).ToList();
            return states.SequenceEqual(["ok", "ok", "ok", "failed"]) ? probes : null;
        }, TimeSpan.FromSeconds(30), "the first round: three estimates and the refused target failed");
}
