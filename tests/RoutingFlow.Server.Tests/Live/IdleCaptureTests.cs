using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// A capture on an interface that goes quiet keeps publishing: with TPACKET_V3 a blocking read waits for the next
/// frame however long that takes, which froze the last rates on the dashboard and in /metrics (and held up
/// shutdown) until something was sent again.
/// </summary>
public sealed class IdleCaptureTests
{
    [RootFact]
    public async Task Capture_InterfaceGoesQuiet_RatesFallBackToZero()
    {
        await using var lab = await NamespaceLab.StartAsync();
        // A veth from the router to the inet host with IPv6 off at both ends: nothing crosses it unless the test sends.
        await ExecAsync(lab, "router", "ip link add idle0 type veth peer name idle1");
        await ExecAsync(lab, "router", $"ip link set idle1 netns {lab.Namespace("inet")}");
        await ExecAsync(lab, "router", "sysctl -qw net.ipv6.conf.idle0.disable_ipv6=1");
        await ExecAsync(lab, "inet", "sysctl -qw net.ipv6.conf.idle1.disable_ipv6=1");
        await ExecAsync(lab, "router", "ip addr add 10.99.0.1/24 dev idle0");
        await ExecAsync(lab, "inet", "ip addr add 10.99.0.2/24 dev idle1");
        await ExecAsync(lab, "router", "ip link set idle0 up");
        await ExecAsync(lab, "inet", "ip link set idle1 up");
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"idle0"}""",
            ["--RoutingFlow:Capture:RateWindow=00:00:02"], listen: NamespaceLab.RouterAddress, lab: lab);
        await Eventually.WaitAsync(async () => State(await server.StatusAsync()) == "running", TimeSpan.FromSeconds(20), "the capture to run");

        lab.Start("inet", "iperf3", "-s", "-B", "10.99.0.2", "-p", "5299");
        await Eventually.WaitAsync(async () => (await lab.ExecAsync("inet", "ss", "-ltn")).StandardOutput.Contains("10.99.0.2:5299", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "the iperf3 server on idle1");
        await ExecAsync(lab, "router", "iperf3 -c 10.99.0.2 -p 5299 -B 10.99.0.1 -u -b 2M -l 1000 -t 1");
        await Eventually.WaitAsync(async () => TxBps(await server.StatusAsync()) > 0, TimeSpan.FromSeconds(10), "the datagrams to show as wan0 tx");

        await Eventually.WaitAsync(async () => TxBps(await server.StatusAsync()) == 0, TimeSpan.FromSeconds(15),
            "wan0's tx rate to fall back to zero once idle0 is quiet");
        Assert.True((await server.StatusAsync()).GetProperty("captures")[0].GetProperty("packets").GetInt64() >= 250,
            "one second of 2 Mbit/s in 1000-byte datagrams was captured");
    }

    private static async Task ExecAsync(NamespaceLab lab, string node, string command)
    {
        var result = await lab.ExecAsync(node, command.Split(' '));
        Assert.True(result.ExitCode == 0, $"{node}: {command}: {result.StandardError}{result.StandardOutput}");
    }

    private static string? State(System.Text.Json.JsonElement status) =>
        status.GetProperty("captures")[0].GetProperty("state").GetString();

    private static double TxBps(System.Text.Json.JsonElement status) =>
        status.GetProperty("nics")[0].GetProperty("txBps").GetDouble();
}
