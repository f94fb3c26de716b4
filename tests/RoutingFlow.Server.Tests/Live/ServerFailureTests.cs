using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Processes;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>Bad input gets a plain message with the fix, and the server keeps serving everything else.</summary>
public sealed class ServerFailureTests
{
    private static async Task<JsonElement> WaitForFailedCaptureAsync(RoutingFlowServer server) =>
        await Eventually.WaitAsync<object>(async () =>
        {
            var capture = (await server.StatusAsync()).GetProperty("captures")[0];
            return capture.GetProperty("state").GetString() == "failed" ? capture : null;
        }, TimeSpan.FromSeconds(20), "the capture to report its failure") is JsonElement e ? e : default;

    private static async Task AssertStillServesAsync(RoutingFlowServer server, string itf)
    {
        Assert.Equal("ok", await server.Http.GetStringAsync("healthz"));
        Assert.Equal(0, RoutingFlowServer.Value(await server.MetricsAsync(), "routingflow_capture_up", $"interface=\"{itf}\""));
    }

    [Fact]
    public async Task MissingInterface_IsReportedAndTheServerKeepsServing()
    {
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"nope0"}""", []);

        var capture = await WaitForFailedCaptureAsync(server);

        Assert.Contains("interface 'nope0' does not exist (available:", capture.GetProperty("error").GetString());
        await AssertStillServesAsync(server, "nope0");
    }

    [RootFact]
    public async Task NoPermission_IsReportedWithTheSetcapFix()
    {
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"lo"}""", ["--RoutingFlow:Capture:RetryInterval=00:00:30"],
            wrapper: ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all", "env", "HOME=/tmp", "DOTNET_CLI_HOME=/tmp"]);

        var capture = await WaitForFailedCaptureAsync(server);

        Assert.Contains("permission denied capturing on 'lo'", capture.GetProperty("error").GetString());
        Assert.Contains("setcap cap_net_raw,cap_net_admin+eip", capture.GetProperty("error").GetString());
        await AssertStillServesAsync(server, "lo");
    }

    [RootFact]
    public async Task MissingLibpcap_IsReportedWithTheInstallFix()
    {
        var library = await LibpcapPathAsync();
        var empty = Path.GetTempFileName();
        try
        {
            string[] hide = ["unshare", "-m", "--", "sh", "-c", $"mount --bind {empty} {library} && exec \"$0\" \"$@\""];
            await using (var server = await RoutingFlowServer.StartAsync("""{"wan0":"lo"}""", [], wrapper: hide))
            {
                var capture = await WaitForFailedCaptureAsync(server);
                Assert.Contains("libpcap is not installed or could not be loaded (install it: apt-get install libpcap0.8)", capture.GetProperty("error").GetString());
                await AssertStillServesAsync(server, "lo");
            }
            var analyze = await ProcessRunner.RunAsync(hide[0], [.. hide[1..], "dotnet", RoutingFlowProcess.Assembly, "analyze", empty], TimeSpan.FromMinutes(1));
            Assert.Equal(3, analyze.ExitCode);
            Assert.Contains("apt-get install libpcap0.8", analyze.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Fact]
    public async Task AlertRules_ABadOneOrAnUnknownMetric_StopsStartupNamingItsKey()
    {
        var (badShape, shapeOutput) = await RoutingFlowServer.RunToExitAsync("""{"wan0":"lo"}""",
            ["--RoutingFlow:Alerts:Rules:0:Name=r", "--RoutingFlow:Alerts:Rules:0:Metric=routingflow_wan_utilization_ratio", "--RoutingFlow:Alerts:Rules:0:Op=>=",
             "--RoutingFlow:Alerts:Rules:1:Name=r", "--RoutingFlow:Alerts:Rules:1:Metric=rate(bad name)"]);
        Assert.Equal(1, badShape);
        Assert.Contains("RoutingFlow:Alerts:Rules:0:Op '>=' is not \">\" or \"<\"", shapeOutput, StringComparison.Ordinal);
        Assert.Contains("RoutingFlow:Alerts:Rules:1:Name 'r' is used by another rule", shapeOutput, StringComparison.Ordinal);
        Assert.Contains("RoutingFlow:Alerts:Rules:1:Metric 'rate(bad name)' is not a metric name", shapeOutput, StringComparison.Ordinal);

        var (unknown, unknownOutput) = await RoutingFlowServer.RunToExitAsync("""{"wan0":"lo"}""",
            ["--RoutingFlow:Alerts:Rules:0:Name=typo", "--RoutingFlow:Alerts:Rules:0:Metric=rate(routingflow_conections_failures_total)"]);
        Assert.Equal(1, unknown);
        Assert.Contains("RoutingFlow:Alerts:Rules:0:Metric 'rate(routingflow_conections_failures_total)': the server exposes no metric routingflow_conections_failures_total",
            unknownOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", unknownOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadConfiguration_StopsStartupListingEveryError()
    {
        var (exitCode, output) = await RoutingFlowServer.RunToExitAsync("""{"wan0":"eth0","wan0b":"eth0"}""",
        [
            "--RoutingFlow:Capture:Interfaces:0:Name=eth0", "--RoutingFlow:Capture:Interfaces:0:Role=uplink",
            "--RoutingFlow:Mapping:Static:0:Cidr=192.168.1.300/32", "--RoutingFlow:Mapping:Static:0:Nic=wan7",
            "--RoutingFlow:Capture:RateWindow=banana",
        ]);

        Assert.Equal(1, exitCode);
        Assert.Contains("Invalid configuration:", output, StringComparison.Ordinal);
        Assert.Contains("RoutingFlow:Capture:Interfaces:0:Role 'uplink' is not 'lan' or 'wan'", output, StringComparison.Ordinal);
        Assert.Contains("RoutingFlow:Mapping:Static:0:Cidr", output, StringComparison.Ordinal);
        Assert.Contains("RoutingFlow:Mapping:Static:0:Nic 'wan7'", output, StringComparison.Ordinal);
        Assert.Contains("RoutingFlow:Capture:RateWindow: 'banana' is not a duration such as 00:00:05", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal); // a message, not a stack trace
    }

    [Fact]
    public async Task UnreachableMappingUrl_KeepsTheLastGoodMappingAndBacksOff()
    {
        var port = PrometheusServer.FreePort();
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"nope0","wan1":"nope1"}""",
            [$"--RoutingFlow:Mapping:Url=http://127.0.0.1:{port}/status", "--RoutingFlow:Mapping:PollInterval=00:00:00.200"]);

        var refused = await MappingAsync(server, m => !m.GetProperty("healthy").GetBoolean() && m.GetProperty("consecutiveFailures").GetInt64() >= 4);
        Assert.Contains("refused", refused.GetProperty("lastError").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(refused.GetProperty("nextPollSeconds").GetDouble() >= 1.6, "backs off exponentially");
        Assert.Equal(0, RoutingFlowServer.Value(await server.MetricsAsync(), "routingflow_mapping_up", ""));

        await using var api = await MappingApi.StartAsync("127.0.0.1", port);
        api.Serve("""{"10.0.0.5":"wan1"}""");
        var good = await MappingAsync(server, m => m.GetProperty("healthy").GetBoolean());
        Assert.Equal("url", good.GetProperty("source").GetString());
        Assert.Equal("wan1", good.GetProperty("rules")[0].GetProperty("nic").GetString());

        api.Serve("""{"10.0.0.5":"wan9"}""");
        var unknown = await MappingAsync(server, m => !m.GetProperty("healthy").GetBoolean());
        Assert.Contains("unknown NIC 'wan9'", unknown.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal("wan1", unknown.GetProperty("rules")[0].GetProperty("nic").GetString()); // last good mapping kept

        api.Serve("{not json", 200);
        Assert.Contains("invalid JSON", (await MappingAsync(server, m => m.GetProperty("lastError").GetString()?.Contains("JSON", StringComparison.Ordinal) == true))
            .GetProperty("lastError").GetString(), StringComparison.Ordinal);
        api.Serve("{}", 503);
        Assert.Contains("HTTP 503", (await MappingAsync(server, m => m.GetProperty("lastError").GetString()?.Contains("503", StringComparison.Ordinal) == true))
            .GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal("ok", await server.Http.GetStringAsync("healthz"));
    }

    [Fact]
    public async Task AHangingMappingUrl_TimesOut_KeepingTheLastGoodMapping_AndRecovers()
    {
        var port = PrometheusServer.FreePort();
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"nope0","wan1":"nope1"}""",
            [$"--RoutingFlow:Mapping:Url=http://127.0.0.1:{port}/status", "--RoutingFlow:Mapping:PollInterval=00:00:00.200", "--RoutingFlow:Mapping:Timeout=00:00:01"]);
        await using (var api = await MappingApi.StartAsync("127.0.0.1", port))
        {
            api.Serve("""{"10.0.0.5":"wan1"}""");
            await MappingAsync(server, m => m.GetProperty("healthy").GetBoolean());
        }

        using (var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port)) // accepts, reads, never answers
        {
            silent.Start();
            var held = new List<System.Net.Sockets.TcpClient>();
            using var accepting = new CancellationTokenSource();
            var accept = Task.Run(async () =>
            {
                while (!accepting.IsCancellationRequested)
                    held.Add(await silent.AcceptTcpClientAsync(accepting.Token));
            });
            var hung = await MappingAsync(server, m => m.GetProperty("lastError").GetString()?.Contains("timed out", StringComparison.Ordinal) == true);
            Assert.Equal("timed out after 1 s", hung.GetProperty("lastError").GetString());
            Assert.Equal("wan1", hung.GetProperty("rules")[0].GetProperty("nic").GetString()); // the last good mapping kept
            var started = DateTimeOffset.UtcNow;
            Assert.Equal("ok", await server.Http.GetStringAsync("healthz"));
            Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(1), "the hanging poll holds up nothing else");
            await accepting.CancelAsync();
            await Task.WhenAny(accept, Task.Delay(TimeSpan.FromSeconds(5)));
            held.ForEach(c => c.Dispose());
            silent.Stop();
        }

        await using var back = await MappingApi.StartAsync("127.0.0.1", port);
        back.Serve("""{"10.0.0.6":"wan0"}""");
        var recovered = await MappingAsync(server, m => m.GetProperty("healthy").GetBoolean());
        Assert.StartsWith("10.0.0.6", recovered.GetProperty("rules")[0].GetProperty("cidr").GetString(), StringComparison.Ordinal);
        Assert.Equal("wan0", recovered.GetProperty("rules")[0].GetProperty("nic").GetString());
    }

    private static async Task<JsonElement> MappingAsync(RoutingFlowServer server, Func<JsonElement, bool> condition) =>
        (JsonElement)await Eventually.WaitAsync<object>(async () =>
        {
            var mapping = (await server.StatusAsync()).GetProperty("mapping");
            return condition(mapping) ? mapping : null;
        }, TimeSpan.FromSeconds(30), "the mapping state");

    private static async Task<string> LibpcapPathAsync()
    {
        var result = await ProcessRunner.RunAsync("sh", ["-c", "readlink -f $(ldconfig -p | awk '/libpcap.so/ {print $NF; exit}')"], TimeSpan.FromSeconds(10));
        var path = result.StandardOutput.Trim();
        Assert.True(File.Exists(path), "libpcap not found by ldconfig");
        return path;
    }
}
