using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Oracles;
using RoutingFlow.Testing.Processes;
using RoutingFlow.Testing.Waiting;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// Device connection statistics against tshark: the router's wan0 (a veth) attached over REST while tcpdump records
/// the same interface; iperf3 TCP both ways and UDP with fixed client ports; per (ports, direction, protocol) the
/// counters must equal what tshark counts in the recording, packets and bytes exactly. Direction is the kernel's at
/// the device: frames wan0 transmits (its MAC as source in the recording) are egress — inverted to ingress on a veth.
/// wan0 is also a WAN capture, which feeds its device counter; a bridge port (vp0) is counted by the shared capture
/// of <c>any</c>, checked against tcpdump's own direction filter.
/// </summary>
public sealed class LabDeviceStatsTests(ITestOutputHelper output) : IDisposable
{
    private const string NicJson = """{"nics":[{"name":"wan0","interface":"wan0"},{"name":"wan1","interface":"wan1"}]}""";
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-labdev-").FullName;

    [RootTheory]
    [InlineData(true)]  // wan0's link kind is veth: directions read from the other side
    [InlineData(false)] // the kind check off and no veth prefix: wan0 counted as an ordinary device
    public async Task AttachedDevice_CountsEveryConnectionAsTsharkDoes(bool vethKind)
    {
        await using var lab = await NamespaceLab.StartAsync("400mbit", "400mbit");
        await using var server = await RoutingFlowServer.StartAsync(NicJson,
            ["--RoutingFlow:Security:ApiKey=lab-key", $"--RoutingFlow:Connections:DetectVethKind={vethKind}"],
            listen: NamespaceLab.RouterAddress, lab: lab);
        server.Http.DefaultRequestHeaders.Add("X-Api-Key", "lab-key");
        var attach = await server.Http.PostAsJsonAsync("traffic_count_attach_device", new { iface = "wan0", action = "add" });
        Assert.Equal(System.Net.HttpStatusCode.OK, attach.StatusCode);
        var deviceId = (await attach.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deviceId").GetInt32();
        var ifindex = int.Parse((await lab.ExecAsync("router", "cat", "/sys/class/net/wan0/ifindex")).StandardOutput, CultureInfo.InvariantCulture);
        Assert.Equal(ifindex, deviceId);
        await Eventually.WaitAsync(async () => (await DevicesAsync(server)).Any(d => d.GetProperty("name").GetString() == "wan0" && d.GetProperty("state").GetString() == "running"),
            TimeSpan.FromSeconds(20), "wan0's capture to run");
        var mac = (await lab.ExecAsync("router", "cat", "/sys/class/net/wan0/address")).StandardOutput.Trim();
        var pcap = Path.Combine(_dir, "wan0.pcap");

        var dump = lab.Start("router", "tcpdump", "-n", "-U", "--immediate-mode", "-i", "wan0", "-s", "128", "-w", pcap, "tcp or udp");
        await Eventually.WaitAsync(() => Task.FromResult(dump.Output.Contains("listening on", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "tcpdump to listen");
        lab.Start("inet", "iperf3", "-s", "-p", "5201");
        await Eventually.WaitAsync(async () => (await lab.ExecAsync("inet", "ss", "-ltn")).StandardOutput.Contains(":5201", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "iperf3 server");
        await Run(lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-t", "2", "--cport", "40001"));
        await Run(lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-t", "2", "-R", "--cport", "40002"));
        await Run(lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-t", "2", "-u", "-b", "5M", "--cport", "40003"));
        await dump.InterruptAsync(TimeSpan.FromSeconds(10));

        // Sent by wan0 when its MAC is the source (wan0 is a router interface, not a bridge port); inverted on a veth.
        var expected = await TsharkTuplesAsync(pcap, deviceId, src => string.Equals(src, mac, StringComparison.OrdinalIgnoreCase) != vethKind);
        var counted = await AssertCountedAsTsharkAsync(server, expected);
        var flows = counted.Keys.Where(k => k.SrcPort is 40001 or 40002 or 40003 || k.DstPort is 40001 or 40002 or 40003).ToList();
        Assert.Contains(flows, k => k.Protocol == "UDP");
        Assert.Equal(2, flows.Where(k => k.Protocol == "TCP" && (k.SrcPort == 40001 || k.DstPort == 40001)).Select(k => k.Direction).Distinct().Count());

        // The devices page in a real browser: wan0 attached, its connection table listing the iperf3 flows.
        await using var browser = await PlaywrightBrowser.LaunchAsync(NamespaceLab.RouterAddress);
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(server.Http.BaseAddress + "devices");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("[data-testid=device-wan0] [data-testid=device-state]")).ToHaveTextAsync("running");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("[data-testid=device-wan0] [data-testid=connections]")).ToContainTextAsync("40001", new() { Timeout = 20_000 });
        await PlaywrightBrowser.ScreenshotAsync(page, $"devices-{(vethKind ? "veth" : "plain")}");
    }

    /// <summary>
    /// A bridge port, where a frame's source MAC says nothing of its direction: in the router, a bridge brc with the
    /// veth port vp0, whose peer is in h1 (192.168.60.2 ↔ the bridge's 192.168.60.1). Frames vp0 transmits toward h1
    /// carry the bridge's MAC, not vp0's. The kernel's direction (the shared <c>any</c> capture's packet type) is the
    /// oracle's too: tcpdump records vp0 twice, <c>-Q in</c> and <c>-Q out</c>; per tuple the counters equal tshark's
    /// counts of each recording (out is ingress, in is egress: vp0 is a veth, read from h1's side).
    /// </summary>
    [RootTheory]
    [InlineData("pcap")]
    [InlineData("ebpf")] // the kernel's programs on vp0's clsact: no qdisc there to drop or split frames after them
    public async Task BridgePort_DirectionIsTheKernels_AsTcpdumpRecordsItEachWay(string backend)
    {
        await using var lab = await NamespaceLab.StartAsync("400mbit", "400mbit");
        await Run(lab.ExecAsync("router", "ip", "link", "add", "brc", "address", "02:00:00:00:60:01", "type", "bridge")); // not its port's MAC
        await Run(lab.ExecAsync("router", "ip", "link", "add", "vp0", "type", "veth", "peer", "name", "vc0", "netns", lab.Namespace("h1")));
        await Run(lab.ExecAsync("router", "ip", "link", "set", "vp0", "master", "brc"));
        foreach (var (node, command) in new[] { ("router", "ip addr add 192.168.60.1/24 dev brc"), ("router", "ip link set brc up"),
            ("router", "ip link set vp0 up"), ("h1", "ip addr add 192.168.60.2/24 dev vc0"), ("h1", "ip link set vc0 up") })
            await Run(lab.ExecAsync(node, command.Split(' ')));
        string[] settings = ["--RoutingFlow:Security:ApiKey=lab-key", "--RoutingFlow:Capture:LocalNetworks:0=192.168.0.0/16",
            $"--RoutingFlow:Capture:Backend={backend}", $"--RoutingFlow:DataDirectory={Path.Combine(_dir, "data")}"];
        await using var server = await RoutingFlowServer.StartAsync(NicJson, settings, listen: NamespaceLab.RouterAddress, lab: lab);
        server.Http.DefaultRequestHeaders.Add("X-Api-Key", "lab-key");
        var attach = await server.Http.PostAsJsonAsync("traffic_count_attach_device", new { iface = "vp0", action = "add" });
        Assert.Equal(System.Net.HttpStatusCode.OK, attach.StatusCode);
        var deviceId = (await attach.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deviceId").GetInt32();
        var device = await WaitForStateAsync(server, "vp0", "running");
        Assert.True(device.GetProperty("veth").GetBoolean(), "vp0's driver is veth");
        Assert.Equal(backend == "ebpf" ? "ebpf" : "any", device.GetProperty("capture").GetString());
        var status = (await server.Http.GetFromJsonAsync<JsonElement>("status")).GetProperty("devices");
        Assert.Equal(backend, status.GetProperty("backend").GetString());
        Assert.Equal(backend == "ebpf" ? "running" : "off", status.GetProperty("kernel").GetProperty("state").GetString());
        if (backend == "ebpf")
            Assert.Contains("rf_ingress", (await lab.ExecAsync("router", "tc", "filter", "show", "dev", "vp0", "ingress")).StandardOutput, StringComparison.Ordinal);
        var mac = (await lab.ExecAsync("router", "cat", "/sys/class/net/vp0/address")).StandardOutput.Trim();
        var inbound = Path.Combine(_dir, "vp0-in.pcap");
        var outbound = Path.Combine(_dir, "vp0-out.pcap");
        var dumps = new[] { (inbound, "in"), (outbound, "out") }.Select(d =>
            lab.Start("router", "tcpdump", "-n", "-U", "--immediate-mode", "-i", "vp0", "-Q", d.Item2, "-s", "128", "-w", d.Item1, "tcp or udp")).ToList();
        foreach (var dump in dumps)
            await Eventually.WaitAsync(() => Task.FromResult(dump.Output.Contains("listening on", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "tcpdump to listen");
        lab.Start("router", "iperf3", "-s", "-B", "192.168.60.1", "-p", "5202");
        await Eventually.WaitAsync(async () => (await lab.ExecAsync("router", "ss", "-ltn")).StandardOutput.Contains(":5202", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "iperf3 server");
        await Run(lab.Iperf3Async("h1", "-c", "192.168.60.1", "-p", "5202", "-t", "2", "-b", "50M", "--cport", "40011"));
        await Run(lab.Iperf3Async("h1", "-c", "192.168.60.1", "-p", "5202", "-t", "2", "-b", "50M", "-R", "--cport", "40012"));
        await Run(lab.Iperf3Async("h1", "-c", "192.168.60.1", "-p", "5202", "-t", "2", "-u", "-b", "5M", "--cport", "40013"));
        foreach (var dump in dumps)
            await dump.InterruptAsync(TimeSpan.FromSeconds(10));

        var expected = await TsharkTuplesAsync(inbound, deviceId, _ => true); // received by vp0: egress from h1's side
        foreach (var (tuple, counts) in await TsharkTuplesAsync(outbound, deviceId, src =>
        {
            Assert.False(string.Equals(src, mac, StringComparison.OrdinalIgnoreCase), "a frame vp0 forwards carries another MAC");
            return false; // sent by vp0: ingress from h1's side
        }))
            expected.Add(tuple, counts);
        var counted = await AssertCountedAsTsharkAsync(server, expected);
        Assert.Equal(2, counted.Keys.Where(k => k.Protocol == "TCP" && (k.SrcPort == 40012 || k.DstPort == 40012)).Select(k => k.Direction).Distinct().Count());
        Assert.Contains(counted.Keys, k => k.Protocol == "UDP" && k.SrcPort == 40013 && k.Direction == "egress");
        if (backend == "ebpf")
            await AssertNoProgramOutlivesTheServerAsync(lab, server, settings);
    }

    /// <summary>
    /// SIGKILL leaves the filters (tc filters outlive their process); the next start finds them and replaces them (vp0
    /// is still attached: the set survives in the data directory), one per direction; a graceful stop removes them.
    /// </summary>
    private static async Task AssertNoProgramOutlivesTheServerAsync(NamespaceLab lab, RoutingFlowServer killed, string[] settings)
    {
        await killed.KillAsync();
        Assert.Contains("rf_ingress", await FiltersAsync(lab, "vp0", "ingress"), StringComparison.Ordinal); // the premise
        await using var next = await RoutingFlowServer.StartAsync(NicJson, settings, listen: NamespaceLab.RouterAddress, lab: lab);
        await WaitForStateAsync(next, "vp0", "running");
        foreach (var (point, program) in new[] { ("ingress", "rf_ingress"), ("egress", "rf_egress") })
            Assert.Single((await FiltersAsync(lab, "vp0", point)).Split('\n'), l => l.Contains(program, StringComparison.Ordinal));
        await next.StopAsync();
        Assert.DoesNotContain("rf_", await FiltersAsync(lab, "vp0", "ingress"), StringComparison.Ordinal);
        Assert.DoesNotContain("rf_", await FiltersAsync(lab, "vp0", "egress"), StringComparison.Ordinal);
    }

    private static async Task<string> FiltersAsync(NamespaceLab lab, string device, string point) =>
        (await lab.ExecAsync("router", "tc", "filter", "show", "dev", device, point)).StandardOutput;

    /// <summary>Waits until the server counted as many frames as the recordings hold, then compares tuple by tuple, exactly.</summary>
    private async Task<Dictionary<Tuple, Counts>> AssertCountedAsTsharkAsync(RoutingFlowServer server, Dictionary<Tuple, Counts> expected)
    {
        var counted = await Eventually.WaitAsync(async () =>
        {
            var stats = await StatsAsync(server);
            return stats.Values.Sum(s => s.Packets) >= expected.Values.Sum(s => s.Packets) ? stats : null;
        }, TimeSpan.FromSeconds(15), "the server to have counted every frame tcpdump recorded");
        output.WriteLine($"{expected.Count} tuples, {expected.Values.Sum(s => s.Packets)} packets in the recording");
        foreach (var (tuple, want) in expected)
        {
            Assert.True(counted.TryGetValue(tuple, out var got), $"no counter for {tuple}");
            Assert.True(want == got, $"{tuple}: tshark {want}, ours {got}");
        }
        Assert.Equal(expected.Count, counted.Count);
        return counted;
    }

    /// <summary>A container restart: its veth deleted (the device shows failed) and re-created with a new ifindex (counted again under it).</summary>
    [RootFact]
    public async Task RecreatedVeth_IsPickedUpAgain_UnderItsNewIfindex()
    {
        await using var lab = await NamespaceLab.StartAsync("400mbit", "400mbit");
        await Run(lab.ExecAsync("router", "ip", "link", "add", "vethc0", "type", "veth", "peer", "name", "vethc1"));
        await Run(lab.ExecAsync("router", "ip", "link", "set", "vethc0", "up"));
        await Run(lab.ExecAsync("router", "ip", "link", "set", "vethc1", "up"));
        await using var server = await RoutingFlowServer.StartAsync(NicJson, ["--RoutingFlow:Security:ApiKey=lab-key", "--RoutingFlow:Capture:RetryInterval=00:00:01"],
            listen: NamespaceLab.RouterAddress, lab: lab);
        server.Http.DefaultRequestHeaders.Add("X-Api-Key", "lab-key");
        var attach = await server.Http.PostAsJsonAsync("traffic_count_attach_device", new { iface = "vethc0", action = "add" });
        var first = (await attach.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deviceId").GetInt32();
        await WaitForStateAsync(server, "vethc0", "running");

        await Run(lab.ExecAsync("router", "ip", "link", "del", "vethc0"));
        var failed = await WaitForStateAsync(server, "vethc0", "failed");
        output.WriteLine($"while gone: {failed.GetProperty("error")}");
        await Run(lab.ExecAsync("router", "ip", "link", "add", "vethc0", "type", "veth", "peer", "name", "vethc1"));
        await Run(lab.ExecAsync("router", "ip", "link", "set", "vethc0", "up"));
        await Run(lab.ExecAsync("router", "ip", "link", "set", "vethc1", "up"));

        var back = await WaitForStateAsync(server, "vethc0", "running");
        var ifindex = int.Parse((await lab.ExecAsync("router", "cat", "/sys/class/net/vethc0/ifindex")).StandardOutput, CultureInfo.InvariantCulture);
        Assert.NotEqual(first, ifindex);
        Assert.Equal(ifindex, back.GetProperty("ifindex").GetInt32());
        Assert.True(back.GetProperty("veth").GetBoolean());
    }

    private static async Task<JsonElement> WaitForStateAsync(RoutingFlowServer server, string name, string state) =>
        await Eventually.WaitAsync<object>(async () => (await DevicesAsync(server)).FirstOrDefault(d => d.GetProperty("name").GetString() == name
            && d.GetProperty("state").GetString() == state) is { ValueKind: JsonValueKind.Object } d ? d : null,
            TimeSpan.FromSeconds(20), $"{name} to be {state}") is JsonElement e ? e : default;

    private sealed record Counts(long Packets, long Bytes);

    private readonly record struct Tuple(int DeviceId, int SrcPort, int DstPort, string Direction, string Protocol);

    private static async Task<Dictionary<Tuple, Counts>> StatsAsync(RoutingFlowServer server)
    {
        var json = await server.Http.GetFromJsonAsync<JsonElement>("traffic_device_connection_stats");
        var stats = new Dictionary<Tuple, Counts>();
        foreach (var property in json.EnumerateObject())
        {
            Assert.StartsWith("connection_", property.Name, StringComparison.Ordinal);
            var v = property.Value;
            Assert.Equal(["device_id", "src_port", "dst_port", "direction", "protocol", "timestamp", "total_packets", "total_bytes"],
                v.EnumerateObject().Select(p => p.Name));
            stats[new Tuple(v.GetProperty("device_id").GetInt32(), v.GetProperty("src_port").GetInt32(), v.GetProperty("dst_port").GetInt32(),
                v.GetProperty("direction").GetString()!, v.GetProperty("protocol").GetString()!)] =
                new Counts(v.GetProperty("total_packets").GetInt64(), v.GetProperty("total_bytes").GetInt64());
        }
        return stats;
    }

    /// <summary>Per tuple, tshark's frames and their lengths; <paramref name="egress"/> says a frame's direction from its source MAC.</summary>
    private static async Task<Dictionary<Tuple, Counts>> TsharkTuplesAsync(string pcap, int deviceId, Func<string, bool> egress) =>
        (await TsharkPortTuples.ReadAsync(pcap, egress)).ToDictionary(t => new Tuple(deviceId, t.Key.SrcPort, t.Key.DstPort, t.Key.Direction, t.Key.Protocol),
            t => new Counts(t.Value.Packets, t.Value.Bytes));

    private static async Task<List<JsonElement>> DevicesAsync(RoutingFlowServer server) =>
        [.. (await server.Http.GetFromJsonAsync<JsonElement>("api/devices")).GetProperty("devices").EnumerateArray()];

    private static async Task Run(Task<ProcessResult> command)
    {
        var result = await command;
        Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
