using System.Net;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Http;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Processes;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>/metrics as promtool sees it, with live per-IP series and every probe series present.</summary>
public sealed class MetricsExpositionTests
{
    private static readonly string[] TcpMonitorCounters =
    [
        "tcp_monitor_total_packets", "tcp_monitor_tcp_packets", "tcp_monitor_global_tcp_packets", "tcp_monitor_packet_loss_missing",
        "tcp_monitor_packet_loss_duplicate", "tcp_monitor_packet_loss_out_of_order", "tcp_monitor_window_shrink", "tcp_monitor_zero_window",
    ];

    private static bool TcpMonitorCounter(string line) =>
        TcpMonitorCounters.Any(name => line.StartsWith(name + " counter metrics should have \"_total\" suffix", StringComparison.Ordinal));

    [RootFact]
    public async Task Metrics_PassPromtoolCheck_ExceptTheContractsTotalSuffix()
    {
        await using var speed = ProbeTestServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var data = Directory.CreateTempSubdirectory("rf-data-").FullName;
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"lo"}""",
        [
            "--RoutingFlow:Capture:LocalNetworks:0=127.0.0.0/8", $"--RoutingFlow:DataDirectory={data}", "--RoutingFlow:Probe:Duration=00:00:00.5",
            "--RoutingFlow:Probe:Targets:0:Method=download", $"--RoutingFlow:Probe:Targets:0:Url={speed.Url("/bytes")}",
            "--RoutingFlow:Probe:Targets:1:Method=upload", $"--RoutingFlow:Probe:Targets:1:Url={speed.Url("/sink")}",
            "--RoutingFlow:Probe:Targets:2:Method=download", $"--RoutingFlow:Probe:Targets:2:Url={speed.Url("/status/500")}",
        ]);
        var metrics = await Eventually.WaitAsync(async () =>
        {
            await server.Http.GetStringAsync("healthz");
            var text = await server.MetricsAsync();
            return text.Contains("network_ip_rx_bps{nic=\"wan0\",ip=\"127.0.0.1\"}", StringComparison.Ordinal)
                && text.Contains("tcp_traffic_scan_probe_failures_total{", StringComparison.Ordinal)
                && text.Contains("routingflow_wan_capacity_bps{nic=\"wan0\",direction=\"tx\"}", StringComparison.Ordinal)
                && text.Contains("tcp_monitor_packet_loss_gap_bucket{interface=\"lo\"", StringComparison.Ordinal) ? text : null;
        }, TimeSpan.FromSeconds(20), "a per-IP series from loopback traffic and the probes' series");
        await server.KillAsync(); // it writes its database until it stops: the directory can go only then
        Directory.Delete(data, recursive: true);
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, metrics);

        var check = await ProcessRunner.RunAsync("sh", ["-c", $"promtool check metrics < {path}"], TimeSpan.FromSeconds(30));
        File.Delete(path);

        // network_ip_{rx,tx}_bps_total are gauges named by the compatibility contract, and the tcp_monitor_* counters
        // carry the original tool's names without _total: promtool's lint flags both. Anything else it reports is a failure.
        var problems = (check.StandardOutput + check.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith("network_ip_rx_bps_total non-counter", StringComparison.Ordinal)
                && !line.StartsWith("network_ip_tx_bps_total non-counter", StringComparison.Ordinal)
                && !TcpMonitorCounter(line))
            .ToList();
        Assert.Empty(problems);
        Assert.Contains("# TYPE network_ip_rx_bps gauge", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE routingflow_capture_packets_total counter", metrics, StringComparison.Ordinal);
        Assert.Contains("routingflow_capture_up{interface=\"lo\"} 1", metrics, StringComparison.Ordinal);
        foreach (var counter in TcpMonitorCounters)
            Assert.Contains($"# TYPE {counter} counter", metrics, StringComparison.Ordinal);
        foreach (var gauge in new[] { "tcp_monitor_active_connections", "tcp_monitor_current_window_size" })
            Assert.Contains($"# TYPE {gauge} gauge", metrics, StringComparison.Ordinal);
        foreach (var histogram in new[] { "tcp_monitor_packet_loss_gap", "tcp_monitor_handshake_rtt_seconds", "tcp_monitor_ack_rtt_seconds" })
            Assert.Contains($"# TYPE {histogram} histogram", metrics, StringComparison.Ordinal);
        Assert.Contains("tcp_monitor_tcp_packets{interface=\"lo\",nic=\"wan0\"}", metrics, StringComparison.Ordinal);
        foreach (var series in new[] { "tcp_traffic_scan_tcp_bandwidth_mbps{interface=\"lo\",server_ip=\"127.0.0.1\"}", "tcp_traffic_scan_tcp_bandwidth_avg_bps{interface=\"lo\"}",
            "tcp_traffic_scan_rtt_seconds{interface=\"lo\",server_ip=\"127.0.0.1\"}", "tcp_traffic_scan_correction_factor 1", "routingflow_probe_bytes_total{interface=\"lo\",direction=\"rx\"}",
            "tcp_traffic_scan_probe_failures_total{interface=\"lo\",server_ip=\"127.0.0.1\",reason=\"http\"}" })
            Assert.Contains(series, metrics, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Metrics_ServedFromOneBuildPerPublication_GzipAndOpenMetricsOnRequest()
    {
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"lo"}""", ["--RoutingFlow:Capture:LocalNetworks:0=127.0.0.0/8"]);
        using var http = new HttpClient { BaseAddress = server.Http.BaseAddress }; // no automatic decompression: the bytes as sent

        using var gzipRequest = new HttpRequestMessage(HttpMethod.Get, "metrics") { Headers = { { "Accept-Encoding", "gzip" } } };
        using var gzipped = await http.SendAsync(gzipRequest);
        Assert.Equal("gzip", Assert.Single(gzipped.Content.Headers.ContentEncoding));
        await using var unzip = new System.IO.Compression.GZipStream(await gzipped.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        var text = await new StreamReader(unzip).ReadToEndAsync();
        Assert.Contains("# TYPE routingflow_capture_packets_total counter", text, StringComparison.Ordinal);
        Assert.StartsWith("text/plain; version=0.0.4", gzipped.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);

        using var openRequest = new HttpRequestMessage(HttpMethod.Get, "metrics")
        {
            Headers = { { "Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1" } },
        };
        using var open = await http.SendAsync(openRequest);
        Assert.StartsWith("application/openmetrics-text; version=1.0.0", open.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("# EOF\n", await open.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // 200 scrapes at once are served from the builds of the publications meanwhile (about one a second per
        // capture, the traffic snapshot and the monitor), not one build each.
        var before = RoutingFlowServer.Value(await server.MetricsAsync(), "routingflow_metrics_builds_total", "") ?? 0;
        var started = System.Diagnostics.Stopwatch.StartNew();
        var scrapes = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => http.GetStringAsync("metrics")));
        var seconds = started.Elapsed.TotalSeconds;
        var after = RoutingFlowServer.Value(await server.MetricsAsync(), "routingflow_metrics_builds_total", "") ?? 0;
        Assert.All(scrapes, s => Assert.Contains("routingflow_capture_up{interface=\"lo\"} 1", s, StringComparison.Ordinal));
        Assert.True(after - before <= 2 + (10 * Math.Ceiling(seconds)), $"{after - before} builds for 200 scrapes in {seconds:0.00} s");
    }
}
