using System.Net.Http.Json;
using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Waiting;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>Attaching and detaching at run time leaves nothing behind; a full connection table evicts and counts.</summary>
public sealed class DeviceLifecycleTests(ITestOutputHelper output)
{
    private const string NicJson = """{"wan0":"lo"}""";

    /// <summary>
    /// In the lab router, under UDP traffic through wan1: 50 cycles attach wan1 (counted by the shared capture of
    /// <c>any</c>, a "capture any" thread while attached) and wan0 (a configured WAN capture, which feeds the device
    /// counter itself: no thread). Afterwards the threads, file handles and device series are back where they were.
    /// With the eBPF backend the kernel counts both (no capture thread at all), and afterwards no filter or clsact
    /// qdisc of RoutingFlow's is left on wan1; wan0 keeps the one filter its WAN capture's host counting uses.
    /// </summary>
    [RootTheory]
    [InlineData("pcap")]
    [InlineData("ebpf")]
    public async Task FiftyAttachDetachCycles_UnderTraffic_LeaveNoThreadHandleOrSeriesBehind(string backend)
    {
        await using var lab = await NamespaceLab.StartAsync("400mbit", "400mbit");
        await using var server = await RoutingFlowServer.StartAsync("""{"nics":[{"name":"wan0","interface":"wan0"}]}""",
            // conntrack off: the kernel counts wan0's hosts with ebpf (with conntrack attribution the frames would)
            ["--RoutingFlow:Security:ApiKey=lab-key", $"--RoutingFlow:Capture:Backend={backend}", "--RoutingFlow:Mapping:Conntrack:Mode=off"],
            listen: NamespaceLab.RouterAddress, lab: lab);
        server.Http.DefaultRequestHeaders.Add("X-Api-Key", "lab-key");
        lab.Start("inet", "iperf3", "-s", "-p", "5201");
        await Eventually.WaitAsync(async () => (await lab.ExecAsync("inet", "ss", "-ltn")).StandardOutput.Contains(":5201", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "iperf3 server");
        lab.Start("h2", "iperf3", "-c", NamespaceLab.Server, "-p", "5201", "-u", "-b", "20M", "-t", "600");
        await CycleAsync(server); // warm: the first attach loads what every later one reuses
        var pid = ServerPid(server);
        await Eventually.WaitAsync(() => Task.FromResult(SharedCaptureThreads(pid) == 0), TimeSpan.FromSeconds(20), "the warm-up's shared capture thread to end");
        var (threads, handles) = (Threads(pid), Handles(pid));

        var sawWan1Traffic = false;
        for (var i = 0; i < 50; i++)
            sawWan1Traffic |= await CycleAsync(server);

        await Eventually.WaitAsync(() => Task.FromResult(SharedCaptureThreads(pid) == 0), TimeSpan.FromSeconds(20), "the shared capture thread to end");
        output.WriteLine($"threads {threads} -> {Threads(pid)}, handles {handles} -> {Handles(pid)}");
        Assert.True(sawWan1Traffic, "wan1 never counted the UDP traffic while attached");
        Assert.InRange(Handles(pid), handles - 5, handles + 5);
        Assert.InRange(Threads(pid), threads - 2, threads + 2);
        var metrics = await server.MetricsAsync();
        Assert.DoesNotContain(metrics.Split('\n'), l => l.StartsWith("routingflow_device_", StringComparison.Ordinal));
        Assert.Empty((await server.Http.GetFromJsonAsync<JsonElement>("api/devices")).GetProperty("devices").EnumerateArray());
        Assert.DoesNotContain("rf_", (await lab.ExecAsync("router", "tc", "filter", "show", "dev", "wan1", "ingress")).StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("clsact", (await lab.ExecAsync("router", "tc", "qdisc", "show", "dev", "wan1")).StandardOutput, StringComparison.Ordinal);
        // wan0 is also the WAN capture, whose hosts the kernel counts with ebpf: its one filter stays, the device's role gone
        var wan0 = (await lab.ExecAsync("router", "tc", "filter", "show", "dev", "wan0", "ingress")).StandardOutput;
        Assert.Equal(backend == "ebpf" ? 1 : 0, wan0.Split('\n').Count(l => l.Contains("rf_ingress", StringComparison.Ordinal)));
    }

    [RootFact]
    public async Task FullConnectionTable_EvictsTheLeastRecent_AndCountsIt()
    {
        await using var server = await RoutingFlowServer.StartAsync(NicJson, ["--RoutingFlow:Connections:MaxEntries=16", "--RoutingFlow:Alerts:EvaluationInterval=00:00:01"]);
        await Attach(server, "add");
        await Eventually.WaitAsync(async () => (await server.MetricsAsync()).Contains("routingflow_device_connection_entries{device=\"lo\"}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "lo's device series");

        using (var udp = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0)))
        {
            for (var port = 20_000; port < 20_200; port++)
                await udp.SendAsync(new byte[8], new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port)); // 200 short flows
        }

        var evictions = await Eventually.WaitAsync<object>(async () =>
            RoutingFlowServer.Value(await server.MetricsAsync(), "routingflow_device_connection_evictions_total", "device=\"lo\"") is >= 180 and var v ? v : null,
            TimeSpan.FromSeconds(20), "the evictions to be counted");
        output.WriteLine($"evictions {evictions}");
        var metrics = await server.MetricsAsync();
        Assert.True(RoutingFlowServer.Value(metrics, "routingflow_device_connection_entries", "device=\"lo\"") <= 16);
        Assert.True(RoutingFlowServer.Value(metrics, "routingflow_device_packets_total", "device=\"lo\",direction=\"ingress\",protocol=\"UDP\"")
            + RoutingFlowServer.Value(metrics, "routingflow_device_packets_total", "device=\"lo\",direction=\"egress\",protocol=\"UDP\"") >= 200);

        // The table is full: its fill ratio says so, and the built-in rule warns (before evictions, on a real router).
        Assert.True(RoutingFlowServer.Value(metrics, "routingflow_table_fill_ratio", "table=\"device_connections\",interface=\"lo\"") >= 0.9);
        var alert = await Eventually.WaitAsync<object>(async () => (await server.Http.GetFromJsonAsync<JsonElement>("api/alerts")).GetProperty("alerts")
            .EnumerateArray().FirstOrDefault(a => a.GetProperty("rule").GetString() == "table-near-capacity" && a.GetProperty("state").GetString() == "firing"
                && a.GetProperty("labels").GetProperty("table").GetString() == "device_connections") is { ValueKind: JsonValueKind.Object } a ? a.Clone() : null,
            TimeSpan.FromSeconds(20), "the table-near-capacity warning") is JsonElement e ? e : default;
        Assert.Equal("lo", alert.GetProperty("labels").GetProperty("interface").GetString());
        await Eventually.WaitAsync(() => Task.FromResult(server.Output.Contains("table-near-capacity is firing", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the warning in the log");
    }

    /// <summary>Attaches wan0 and wan1, waits until both run, detaches both; true when wan1 had counted frames by then.</summary>
    private static async Task<bool> CycleAsync(RoutingFlowServer server)
    {
        await Attach(server, "add", "wan0");
        await Attach(server, "add", "wan1");
        var devices = await Eventually.WaitAsync<object>(async () =>
            (await server.Http.GetFromJsonAsync<JsonElement>("api/devices")).GetProperty("devices") is var d
            && d.EnumerateArray().Count(x => x.GetProperty("state").GetString() == "running") == 2 ? d : null,
            TimeSpan.FromSeconds(20), "both devices to run") is JsonElement e ? e : default;
        await Attach(server, "remove", "wan1");
        await Attach(server, "remove", "wan0");
        return devices.EnumerateArray().Any(d => d.GetProperty("name").GetString() == "wan1" && d.GetProperty("packets").GetInt64() > 0);
    }

    private static async Task Attach(RoutingFlowServer server, string action, string iface = "lo")
    {
        var response = await server.Http.PostAsJsonAsync("traffic_count_attach_device", new { iface, action });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static int ServerPid(RoutingFlowServer server) => server.ProcessId;

    /// <summary>The process's threads but the thread pool's workers (it grows and shrinks with load on its own).</summary>
    private static int Threads(int pid) => Directory.GetDirectories($"/proc/{pid}/task")
        .Count(t => !File.ReadAllText(Path.Combine(t, "comm")).StartsWith(".NET TP Worker", StringComparison.Ordinal));

    private static int Handles(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

    private static int SharedCaptureThreads(int pid) => Directory.GetDirectories($"/proc/{pid}/task")
        .Count(t => File.ReadAllText(Path.Combine(t, "comm")).Trim() == "capture any");
}
