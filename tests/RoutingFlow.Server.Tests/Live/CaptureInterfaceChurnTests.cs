using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// A captured WAN interface deleted and re-created, renamed away with another taking its name, and taken down and up:
/// each time the capture runs again under the name's ifindex within <c>Capture:RetryInterval</c> (and a little), says
/// so in <c>/status</c> (<c>ifindex</c>, <c>reopens</c>, the error while it was gone), counts the new interface's
/// frames, and its packet and byte counts never go back. The interface's kernel counters start from zero again when it
/// is re-created: <c>routingflow_interface_bytes_total</c> goes on from its total (not stalled below it) and the
/// bandwidth rates never go negative.
/// </summary>
public sealed class CaptureInterfaceChurnTests(ITestOutputHelper output)
{
    private const string Interface = "cap0";
    private const string Peer = "cap1";
    private const string PeerAddress = "10.77.0.2";
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    [RootFact]
    public async Task DeletedRenamedOrDownInterface_IsCapturedAgainUnderItsIfindex_CountsStayMonotonic()
    {
        await using var lab = await NamespaceLab.StartAsync("400mbit", "400mbit");
        await CreatePairAsync(lab);
        await using var server = await RoutingFlowServer.StartAsync($$"""{"nics":[{"name":"wan0","interface":"{{Interface}}"}]}""",
            [$"--RoutingFlow:Capture:RetryInterval={Retry}", "--RoutingFlow:Network:InterfaceScanInterval=00:00:01"], listen: NamespaceLab.RouterAddress, lab: lab);
        var seen = new List<(long Packets, long Bytes)>();

        var first = await WaitRunningAsync(server, lab, seen);
        await SendAndCountAsync(server, lab, seen, first, 300); // more than any later step: a stalled counter would show

        // Deleted (its peer with it) and re-created: a new ifindex.
        await Run(lab.ExecAsync("router", "ip", "link", "del", Interface));
        var gone = await WaitStateAsync(server, seen, "failed");
        output.WriteLine($"deleted: {gone.GetProperty("error")}");
        var recreatedAt = Stopwatch.GetTimestamp();
        await CreatePairAsync(lab);
        var second = await WaitRunningAsync(server, lab, seen);
        output.WriteLine($"re-created: running again after {Stopwatch.GetElapsedTime(recreatedAt).TotalSeconds:0.0} s");
        Assert.True(Stopwatch.GetElapsedTime(recreatedAt) < Retry + TimeSpan.FromSeconds(4), "the capture took longer than its retry interval to come back");
        Assert.NotEqual(first.GetProperty("ifindex").GetInt32(), second.GetProperty("ifindex").GetInt32());
        Assert.Equal(1, second.GetProperty("reopens").GetInt64());
        await SendAndCountAsync(server, lab, seen, second);

        // Renamed away, and a new interface given the name: the capture follows the name.
        await Run(lab.ExecAsync("router", "ip", "link", "set", Interface, "down"));
        await Run(lab.ExecAsync("router", "ip", "link", "set", Interface, "name", "capold"));
        var renamed = await WaitStateAsync(server, seen, "failed");
        output.WriteLine($"renamed: {renamed.GetProperty("error")}");
        Assert.False(string.IsNullOrEmpty(renamed.GetProperty("error").GetString()));
        await Run(lab.ExecAsync("router", "ip", "link", "del", "capold"));
        await CreatePairAsync(lab);
        var third = await WaitRunningAsync(server, lab, seen);
        Assert.Equal(2, third.GetProperty("reopens").GetInt64());
        await SendAndCountAsync(server, lab, seen, third);

        // Down and up: the same ifindex, counted again once up.
        await Run(lab.ExecAsync("router", "ip", "link", "set", Interface, "down"));
        await Task.Delay(Retry * 2); // long enough for a capture that notices the link going down to fail and retry
        await Run(lab.ExecAsync("router", "ip", "link", "set", Interface, "up"));
        await Run(lab.ExecAsync("h1", "ip", "link", "set", Peer, "up"));
        var fourth = await WaitRunningAsync(server, lab, seen);
        Assert.Equal(third.GetProperty("ifindex").GetInt32(), fourth.GetProperty("ifindex").GetInt32());
        await SendAndCountAsync(server, lab, seen, fourth);

        for (var i = 1; i < seen.Count; i++)
            Assert.True(seen[i].Packets >= seen[i - 1].Packets && seen[i].Bytes >= seen[i - 1].Bytes, $"counts went back: {seen[i - 1]} then {seen[i]}");
        Assert.Contains("opened again under ifindex", server.Output, StringComparison.Ordinal);
    }

    /// <summary>cap0 in the router, cap1 in h1, a /30 between them, both up.</summary>
    private static async Task CreatePairAsync(NamespaceLab lab)
    {
        await Run(lab.ExecAsync("router", "ip", "link", "add", Interface, "type", "veth", "peer", "name", Peer, "netns", lab.Namespace("h1")));
        await Run(lab.ExecAsync("router", "ip", "addr", "add", "10.77.0.1/30", "dev", Interface));
        await Run(lab.ExecAsync("h1", "ip", "addr", "add", PeerAddress + "/30", "dev", Peer));
        await Run(lab.ExecAsync("router", "ip", "link", "set", Interface, "up"));
        await Run(lab.ExecAsync("h1", "ip", "link", "set", Peer, "up"));
    }

    /// <summary>
    /// UDP datagrams from the router to h1 over cap0: the capture's packets grow by as many, the interface's byte
    /// counter on /metrics grows past what it was (it is never below an earlier reading), its rates are not negative.
    /// </summary>
    private async Task SendAndCountAsync(RoutingFlowServer server, NamespaceLab lab, List<(long, long)> seen, JsonElement before, int datagrams = 50)
    {
        var from = before.GetProperty("packets").GetInt64();
        var bytesBefore = await InterfaceBytesAsync(server);
        Assert.True(bytesBefore >= _interfaceBytes, $"routingflow_interface_bytes_total went back from {_interfaceBytes} to {bytesBefore}");
        await Run(lab.ExecAsync("router", "bash", "-c", $"for i in $(seq {datagrams}); do echo routingflow > /dev/udp/{PeerAddress}/9; done"));
        await WaitCaptureAsync(server, seen, c => c.GetProperty("packets").GetInt64() >= from + datagrams, $"the {datagrams} datagrams to be counted");
        _interfaceBytes = await Eventually.WaitAsync<object>(async () => await InterfaceBytesAsync(server) is var b && b >= bytesBefore + datagrams * 40 ? b : null,
            TimeSpan.FromSeconds(20), $"routingflow_interface_bytes_total to grow past {bytesBefore} by the datagrams") is long total ? total : 0;
        var bandwidth = await server.Http.GetFromJsonAsync<JsonElement>("api/network/bandwidth");
        var now = bandwidth.GetProperty("interfaces").EnumerateArray().Single(i => i.GetProperty("name").GetString() == Interface).GetProperty("rates").GetProperty("now");
        Assert.True(now.GetProperty("rxBps").GetDouble() >= 0 && now.GetProperty("txBps").GetDouble() >= 0, now.ToString());
        output.WriteLine($"{datagrams} datagrams: interface bytes {bytesBefore} -> {_interfaceBytes}");
    }

    private long _interfaceBytes;

    /// <summary>cap0's rx + tx bytes as <c>routingflow_interface_bytes_total</c> says (0 before it is listed).</summary>
    private static async Task<long> InterfaceBytesAsync(RoutingFlowServer server)
    {
        var text = await server.Http.GetStringAsync("metrics");
        return text.Split('\n').Where(l => l.StartsWith($"routingflow_interface_bytes_total{{interface=\"{Interface}\"", StringComparison.Ordinal))
            .Sum(l => (long)double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    private static async Task<JsonElement> WaitRunningAsync(RoutingFlowServer server, NamespaceLab lab, List<(long, long)> seen)
    {
        var ifindex = int.Parse((await lab.ExecAsync("router", "cat", $"/sys/class/net/{Interface}/ifindex")).StandardOutput, CultureInfo.InvariantCulture);
        return await WaitCaptureAsync(server, seen, c => c.GetProperty("state").GetString() == "running"
            && c.GetProperty("ifindex") is { ValueKind: JsonValueKind.Number } i && i.GetInt32() == ifindex, $"{Interface} to run under ifindex {ifindex}");
    }

    private static Task<JsonElement> WaitStateAsync(RoutingFlowServer server, List<(long, long)> seen, string state) =>
        WaitCaptureAsync(server, seen, c => c.GetProperty("state").GetString() == state, $"{Interface} to be {state}");

    /// <summary>Polls /status until the capture matches, noting its counts at every look.</summary>
    private static async Task<JsonElement> WaitCaptureAsync(RoutingFlowServer server, List<(long, long)> seen, Func<JsonElement, bool> done, string what) =>
        (JsonElement)(await Eventually.WaitAsync<object>(async () =>
        {
            var capture = (await server.StatusAsync()).GetProperty("captures").EnumerateArray().Single(c => c.GetProperty("interface").GetString() == Interface);
            seen.Add((capture.GetProperty("packets").GetInt64(), capture.GetProperty("bytes").GetInt64()));
            return done(capture) ? capture.Clone() : null;
        }, TimeSpan.FromSeconds(20), what))!;

    private static async Task Run(Task<RoutingFlow.Testing.Processes.ProcessResult> command)
    {
        var result = await command;
        Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);
    }
}
