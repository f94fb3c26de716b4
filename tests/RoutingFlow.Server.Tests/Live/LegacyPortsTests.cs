using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// <c>RoutingFlow:LegacyPorts:Enabled</c>, in the lab router's namespace (its own loopback, so the fixed ports are
/// free): the original tools' ports serve their one path each; a port another program holds is reported and
/// skipped while the rest serves. The original CLI's exit 2 for an unresolvable server, there too.
/// </summary>
public sealed class LegacyPortsTests
{
    [RootFact]
    public async Task LegacyPorts_ServeTheOriginalPaths_AndATakenPortIsReported()
    {
        await using var lab = await NamespaceLab.StartAsync();
        await lab.StartProbeServersAsync("127.0.0.1:32599"); // something else already holds the routing status port
        var data = Directory.CreateTempSubdirectory("rf-data-").FullName;
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"wan0"}""",
            [$"--RoutingFlow:DataDirectory={data}", "--RoutingFlow:LegacyPorts:Enabled=true"], listen: NamespaceLab.RouterAddress, lab: lab);

        Assert.Equal("Current correction factor: 1", await CurlAsync(lab, "http://127.0.0.1:32600/tcpflow"));
        Assert.Equal("Correction factor set to: 4", await CurlAsync(lab, "http://127.0.0.1:32600/tcpflow?value=4")); // loopback: no key needed
        Assert.Contains("tcp_traffic_scan_correction_factor 4", await CurlAsync(lab, "http://127.0.0.1:59121/metrics"), StringComparison.Ordinal);
        Assert.Contains("serves only /tcpflow", await CurlAsync(lab, "http://127.0.0.1:32600/metrics"), StringComparison.Ordinal);
        var ports = (await server.StatusAsync()).GetProperty("legacyPorts").EnumerateArray().ToDictionary(p => p.GetProperty("port").GetInt32());
        Assert.True(ports[59121].GetProperty("listening").GetBoolean() && ports[32600].GetProperty("listening").GetBoolean());
        Assert.False(ports[32599].GetProperty("listening").GetBoolean());
        Assert.Contains("127.0.0.1:32599 cannot be bound", ports[32599].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("legacy port 32599 (/status) is not served", server.Output, StringComparison.Ordinal);
        Directory.Delete(data, recursive: true);
    }

    [RootFact]
    public async Task ProbeCli_UnresolvableServer_Exits2Plainly()
    {
        await using var lab = await NamespaceLab.StartAsync();

        var result = await lab.ExecAsync("router", "dotnet", RoutingFlowProcess.Assembly, "probe", "-i", "wan0", "-s", "nope.lab", "--once");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("routingflow probe: cannot resolve 'nope.lab'", result.StandardError, StringComparison.Ordinal);
    }

    private static async Task<string> CurlAsync(NamespaceLab lab, string url) =>
        (await lab.ExecAsync("router", "curl", "-s", "--max-time", "5", url)).StandardOutput;
}
