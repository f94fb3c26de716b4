using System.Globalization;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Waiting;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// The server capturing the lab router's LAN interface while two hosts download through different, shaped WANs:
/// its per-IP rates must match iperf3's, a real Prometheus must see the same, and a mapping change must move a
/// host to its new WAN.
/// </summary>
public sealed class LabAccuracyTests(ITestOutputHelper output)
{
    private const double Tolerance = 0.05;
    private const string NicJson = """{"nics":[{"name":"wan0","interface":"wan0"},{"name":"wan1","interface":"wan1"}]}""";

    /// <remarks>With the eBPF backend the per-IP counts come from the kernel's host map (libpcap still captures for TCP health and protocol inspection), within 2%.</remarks>
    [RootTheory]
    [InlineData("pcap")]
    [InlineData("ebpf")]
    [InlineData("ebpf", false)] // nothing copied to user space: no packet socket at all
    public async Task LiveRates_MatchIperf3_InPrometheus_AndFollowTheMapping(string backend, bool packetAnalysis = true)
    {
        await using var lab = await NamespaceLab.StartAsync("20mbit", "10mbit");
        await using var mapping = await MappingApi.StartAsync(NamespaceLab.RootAddress, PrometheusServer.FreePort());
        mapping.Serve($$"""{"{{NamespaceLab.H1}}":"wan0","{{NamespaceLab.H2}}":"wan1"}""");
        await using var server = await RoutingFlowServer.StartAsync(NicJson,
        [
            "--RoutingFlow:Capture:Interfaces:0:Name=lan0", "--RoutingFlow:Capture:Interfaces:0:Role=lan",
            $"--RoutingFlow:Mapping:Url={mapping.Url}", "--RoutingFlow:Mapping:PollInterval=00:00:01", $"--RoutingFlow:Capture:Backend={backend}",
            $"--RoutingFlow:Capture:PacketAnalysis={packetAnalysis}",
            "--RoutingFlow:Mapping:Conntrack:Mode=off", // the mapping decides: the kernel counts the hosts (with conntrack the frames do, LabConntrackTests)
        ], listen: NamespaceLab.RouterAddress, lab: lab);
        await using var prometheus = await PrometheusServer.StartAsync($"{NamespaceLab.RouterAddress}:{server.Http.BaseAddress!.Port}");
        await Eventually.WaitAsync(async () => (await server.StatusAsync()).GetProperty("mapping").GetProperty("healthy").GetBoolean()
            && (await server.StatusAsync()).GetProperty("captures")[0].GetProperty("state").GetString() == "running",
            TimeSpan.FromSeconds(20), "capture running and mapping polled");
        await Eventually.WaitAsync(prometheus.TargetUpAsync, TimeSpan.FromSeconds(30), "Prometheus to scrape the server");
        Assert.Equal(backend, (await server.StatusAsync()).GetProperty("captures")[0].GetProperty("backend").GetString());
        if (!packetAnalysis)
            Assert.Empty(await PacketSocketsAsync(lab, server.ProcessId));

        await DownloadsMatchIperf3Async(lab, server, prometheus, backend == "ebpf" ? 0.02 : Tolerance); // the eBPF issue's 2%
        await MappingMovesHostAsync(lab, server, mapping);
        await ChangesFromOtherHostsNeedTheApiKeyAsync(server);
    }

    // The test talks to the server over the lab's management link, so it is a non-loopback client.
    private static async Task ChangesFromOtherHostsNeedTheApiKeyAsync(RoutingFlowServer server)
    {
        using var response = await server.Http.PostAsync("status", new StringContent("{}"));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("no API key is configured", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var api = await server.Http.PostAsync("api/probe/run", null); // an /api path: the refusal as problem details
        await Infrastructure.Problems.AssertAsync(api, System.Net.HttpStatusCode.Forbidden, null, "Forbidden: requests that change state are accepted only from loopback");
        Assert.Equal("ok", await server.Http.GetStringAsync("healthz"));
    }

    private async Task DownloadsMatchIperf3Async(NamespaceLab lab, RoutingFlowServer server, PrometheusServer prometheus, double tolerance)
    {
        lab.Start("inet", "iperf3", "-s", "-p", "5201");
        lab.Start("inet", "iperf3", "-s", "-p", "5202");
        await WaitForIperfServerAsync(lab);
        var h1 = lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-R", "-t", "14", "-J");
        var h2 = lab.Iperf3Async("h2", "-c", NamespaceLab.Server, "-p", "5202", "-R", "-t", "14", "-J");
        await Task.Delay(TimeSpan.FromSeconds(8)); // into steady state: rate window (5 s) past slow start
        var samples = new List<(double H1, double H2, double Wan0Total, double PromH1, double PromWan0Total)>();
        for (var i = 0; i < 3; i++)
        {
            var metrics = await server.MetricsAsync();
            samples.Add((
                RoutingFlowServer.Value(metrics, "network_ip_rx_bps", $"nic=\"wan0\",ip=\"{NamespaceLab.H1}\"") ?? 0,
                RoutingFlowServer.Value(metrics, "network_ip_rx_bps", $"nic=\"wan1\",ip=\"{NamespaceLab.H2}\"") ?? 0,
                RoutingFlowServer.Value(metrics, "network_ip_rx_bps_total", "nic=\"wan0\"") ?? 0,
                (await prometheus.QueryAsync($"network_ip_rx_bps{{nic=\"wan0\",ip=\"{NamespaceLab.H1}\"}}")).SingleOrDefault().Value,
                (await prometheus.QueryAsync("network_ip_rx_bps_total{nic=\"wan0\"}")).SingleOrDefault().Value));
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }
        var iperfH1 = Iperf3Result.Parse((await h1).StandardOutput);
        var iperfH2 = Iperf3Result.Parse((await h2).StandardOutput);
        var expectedH1 = iperfH1.MeanBps(3, 13);
        var expectedH2 = iperfH2.MeanBps(3, 13);
        output.WriteLine($"iperf3 h1 {expectedH1 / 1e6:F3} Mbit/s, h2 {expectedH2 / 1e6:F3} Mbit/s");
        foreach (var s in samples)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"routingflow h1 {s.H1 / 1e6:F3} ({s.H1 / expectedH1 - 1:P2}), h2 {s.H2 / 1e6:F3} ({s.H2 / expectedH2 - 1:P2}), wan0 total {s.Wan0Total / 1e6:F3}; prometheus h1 {s.PromH1 / 1e6:F3} ({s.PromH1 / expectedH1 - 1:P2}), wan0 total {s.PromWan0Total / 1e6:F3}"));
            Assert.InRange(s.H1, expectedH1 * (1 - tolerance), expectedH1 * (1 + tolerance));
            Assert.InRange(s.H2, expectedH2 * (1 - tolerance), expectedH2 * (1 + tolerance));
            Assert.InRange(s.Wan0Total, expectedH1 * (1 - tolerance), expectedH1 * (1 + tolerance));
            Assert.InRange(s.PromH1, expectedH1 * (1 - tolerance), expectedH1 * (1 + tolerance));
            Assert.InRange(s.PromWan0Total, expectedH1 * (1 - tolerance), expectedH1 * (1 + tolerance));
        }
    }

    private async Task MappingMovesHostAsync(NamespaceLab lab, RoutingFlowServer server, MappingApi mapping)
    {
        mapping.Serve($$"""{"{{NamespaceLab.H1}}":"wan1","{{NamespaceLab.H2}}":"wan1"}""");
        await lab.RouteAsync("h1", "wan1");
        await Eventually.WaitAsync(async () => (await server.StatusAsync()).GetProperty("mapping").GetProperty("rules")
            .EnumerateArray().Any(r => r.GetProperty("cidr").GetString() == $"{NamespaceLab.H1}/32" && r.GetProperty("nic").GetString() == "wan1"),
            TimeSpan.FromSeconds(3), "the new mapping within one poll interval (1 s) plus slack");
        await WaitForIperfServerAsync(lab);
        var h1 = lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-R", "-t", "10", "-J");
        var onWan1 = (double)await Eventually.WaitAsync<object>(async () =>
            RoutingFlowServer.Value(await server.MetricsAsync(), "network_ip_rx_bps", $"nic=\"wan1\",ip=\"{NamespaceLab.H1}\"") is > 1e6 and var v ? v : null,
            TimeSpan.FromSeconds(8), "h1's traffic on wan1");
        await Eventually.WaitAsync(async () =>
            RoutingFlowServer.Value(await server.MetricsAsync(), "network_ip_rx_bps", $"nic=\"wan0\",ip=\"{NamespaceLab.H1}\"") is null,
            TimeSpan.FromSeconds(9), "h1's wan0 series to be removed once idle for the rate window");
        var result = Iperf3Result.Parse((await h1).StandardOutput);
        output.WriteLine($"after the move: h1 on wan1 {onWan1 / 1e6:F3} Mbit/s, iperf3 {result.ReceiverBps / 1e6:F3} Mbit/s");
        Assert.InRange(result.ReceiverBps, 8e6, 11e6); // wan1 is shaped to 10 Mbit/s: the traffic really moved
    }

    /// <summary>The AF_PACKET sockets (libpcap's) the process holds: /proc/net/packet's inodes among its descriptors.</summary>
    private static async Task<List<string>> PacketSocketsAsync(NamespaceLab lab, int pid)
    {
        var inodes = (await lab.ExecAsync("router", "cat", "/proc/net/packet")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]).ToHashSet(StringComparer.Ordinal);
        return Directory.GetFileSystemEntries($"/proc/{pid}/fd").Select(fd => new FileInfo(fd).LinkTarget ?? "")
            .Where(t => t.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(t[8..^1])).ToList();
    }

    private static Task WaitForIperfServerAsync(NamespaceLab lab) =>
        Eventually.WaitAsync(async () => (await lab.ExecAsync("inet", "ss", "-ltn")).StandardOutput.Contains(":5202", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "iperf3 servers listening");
}
