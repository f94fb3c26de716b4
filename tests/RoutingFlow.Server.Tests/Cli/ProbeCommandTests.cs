using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Http;
using RoutingFlow.Testing.Lab;

namespace RoutingFlow.Server.Tests.Cli;

/// <summary>
/// <c>routingflow probe</c> as the original standalone tool was used: the real program over loopback against
/// the lab's speed-test server; its lines, errors and exit codes.
/// </summary>
[Collection(MeasuringCollection.Name)]
public sealed class ProbeCommandTests : IAsyncLifetime
{
    private ProbeTestServer _server = null!;

    private int Port => _server.Endpoints[0].Port;

    public Task InitializeAsync()
    {
        _server = ProbeTestServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Probe_WindowOnce_PrintsTheOriginalLine()
    {
        var result = await RoutingFlowProcess.RunAsync("probe", "-i", "lo", "-s", $"127.0.0.1:{Port}", "--once");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(new Regex(@"^lo: \|127\.0\.0\.1:\d+Mbps\|$"), result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Probe_DownloadAndUpload_ReplaceTheUrlHostWithEachServer()
    {
        var download = await RoutingFlowProcess.RunAsync("probe", "-i", "lo", "-s", "127.0.0.1", "--method", "download",
            "--url", $"http://placeholder:{Port}/bytes", "--once", "--RoutingFlow:Probe:Duration=00:00:01");
        var upload = await RoutingFlowProcess.RunAsync("probe", "--interface", "lo", "--method", "upload",
            "--url", $"http://127.0.0.1:{Port}/sink", "--once", "--RoutingFlow:Probe:Duration=00:00:01");

        Assert.Equal(0, download.ExitCode);
        Assert.Matches(new Regex(@"^lo: \|127\.0\.0\.1:\d+Mbps\|$"), download.StandardOutput.Trim());
        Assert.Equal(0, upload.ExitCode);
        Assert.Matches(new Regex(@"^lo: \|127\.0\.0\.1:\d+Mbps\|$"), upload.StandardOutput.Trim());
        Assert.True(_server.BytesReceived > 0 && _server.BytesSent > 0);
    }

    [Fact]
    public async Task Probe_ServerWithPort_ReplacesTheUrlsHostAndPort()
    {
        var result = await RoutingFlowProcess.RunAsync("probe", "-i", "lo", "-s", $"127.0.0.1:{Port}", "--method", "download",
            "--url", "http://placeholder:1/bytes", "--once", "--RoutingFlow:Probe:Duration=00:00:00.5");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(new Regex(@"^lo: \|127\.0\.0\.1:\d+Mbps\|$"), result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Probe_EveryProbeFails_PrintsErrAndExits1()
    {
        var result = await RoutingFlowProcess.RunAsync("probe", "-i", "lo", "-s", $"127.0.0.1:{PrometheusServer.FreePort()}", "--once");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("lo: |127.0.0.1:ERR|", result.StandardOutput.Trim());
        Assert.Contains("Error measuring 127.0.0.1 on lo: connecting to 127.0.0.1:", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_UnknownInterface_Exits2Plainly()
    {
        var result = await RoutingFlowProcess.RunAsync("probe", "-i", "nope0", "-s", "127.0.0.1", "--once");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("routingflow probe: interface 'nope0' does not exist (available:", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
    }

    [Theory]
    [InlineData(2, "no interface given", "probe", "-s", "127.0.0.1")]
    [InlineData(2, "no server given", "probe", "-i", "lo")]
    [InlineData(2, "no server given", "probe", "-i", "lo", "--url", "http://x/")]
    [InlineData(1, "--method 'ping' is not window, download or upload", "probe", "-i", "lo", "-s", "x", "--method", "ping")]
    [InlineData(1, "--method download needs --url", "probe", "-i", "lo", "-s", "x", "--method", "download")]
    [InlineData(1, "-s 'x:99999': the port is not a number", "probe", "-i", "lo", "-s", "x:99999")]
    [InlineData(1, "unexpected argument 'extra'", "probe", "-i", "lo", "-s", "x", "extra")]
    public async Task Probe_BadArguments_SayWhatIsWrong(int exitCode, string message, params string[] arguments)
    {
        var result = await RoutingFlowProcess.RunAsync(arguments);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
        Assert.Contains("usage: routingflow probe", result.StandardError, StringComparison.Ordinal);
    }
}
