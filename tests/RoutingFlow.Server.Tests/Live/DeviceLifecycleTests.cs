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

    [RootFact]
    public async Task FiftyAttachDetachCycles_UnderTraffic_LeaveNoThreadHandleOrSeriesBehind()
    {
        await using var server = await RoutingFlowServer.StartAsync(NicJson, []);
        using var traffic = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            while (!traffic.IsCancellationRequested)
                await server.Http.GetAsync("healthz", CancellationToken.None);
        });
        await CycleAsync(server); // warm: the first attach loads what every later one reuses
        var pid = ServerPid(server);
        await Eventually.WaitAsync(() => Task.FromResult(CaptureThreads(pid) == 1), TimeSpan.FromSeconds(20), "the warm-up's device thread to end");
        var (threads, handles) = (Threads(pid), Handles(pid)); // the WAN capture of lo keeps its own "capture lo" thread

        for (var i = 0; i < 50; i++)
            await CycleAsync(server);

        await Eventually.WaitAsync(() => Task.FromResult(CaptureThreads(pid) == 1), TimeSpan.FromSeconds(20), "the device capture threads to end");
        await traffic.CancelAsync();
        await load;
        output.WriteLine($"threads {threads} -> {Threads(pid)}, handles {handles} -> {Handles(pid)}");
        Assert.InRange(Handles(pid), handles - 5, handles + 5);
        Assert.InRange(Threads(pid), threads - 2, threads + 2);
        var metrics = await server.MetricsAsync();
        Assert.DoesNotContain("routingflow_device_bytes_total{device=\"lo\"", metrics, StringComparison.Ordinal);
        Assert.Empty((await server.Http.GetFromJsonAsync<JsonElement>("api/devices")).GetProperty("devices").EnumerateArray());
    }

    [RootFact]
    public async Task FullConnectionTable_EvictsTheLeastRecent_AndCountsIt()
    {
        await using var server = await RoutingFlowServer.StartAsync(NicJson, ["--RoutingFlow:Connections:MaxEntries=16"]);
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
    }

    private static async Task CycleAsync(RoutingFlowServer server)
    {
        await Attach(server, "add");
        await Eventually.WaitAsync(async () => (await server.Http.GetFromJsonAsync<JsonElement>("api/devices")).GetProperty("devices")
            .EnumerateArray().Any(d => d.GetProperty("state").GetString() == "running"), TimeSpan.FromSeconds(20), "lo's capture to run");
        await Attach(server, "remove");
    }

    private static async Task Attach(RoutingFlowServer server, string action)
    {
        var response = await server.Http.PostAsJsonAsync("traffic_count_attach_device", new { iface = "lo", action });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static int ServerPid(RoutingFlowServer server) => server.ProcessId;

    /// <summary>The process's threads but the thread pool's workers (it grows and shrinks with load on its own).</summary>
    private static int Threads(int pid) => Directory.GetDirectories($"/proc/{pid}/task")
        .Count(t => !File.ReadAllText(Path.Combine(t, "comm")).StartsWith(".NET TP Worker", StringComparison.Ordinal));

    private static int Handles(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

    private static int CaptureThreads(int pid) => Directory.GetDirectories($"/proc/{pid}/task")
        .Count(t => File.ReadAllText(Path.Combine(t, "comm")).Trim() == "capture lo");
}
