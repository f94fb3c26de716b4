using System.Globalization;
using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Waiting;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// deploy/systemd/routingflow.service as it would run: the server as an unprivileged user (nobody) holding exactly
/// the capabilities the unit grants (its <c>AmbientCapabilities</c>, with the eBPF drop-in's for the kernel backend),
/// nothing more (bounding set, no new privileges), in the lab's router namespace. Capture, probes and storage must all
/// work: lan0 captured (and, with ebpf, counted by the kernel), both WANs probed, samples written to the database and
/// read back through /api/history; the kernel confirms the user and the capabilities in /proc.
/// </summary>
public sealed class ServiceUnitTests(ITestOutputHelper output)
{
    private const string NicJson = """{"nics":[{"name":"wan0","interface":"wan0"},{"name":"wan1","interface":"wan1"}]}""";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public void TheUnit_RunsAsItsOwnUser_WithOnlyTheCaptureCapabilities_AndHardening()
    {
        var unit = Unit("routingflow.service");

        Assert.Equal(["routingflow"], unit["User"]);
        Assert.Equal(["routingflow"], unit["StateDirectory"]);
        Assert.Equal(["CAP_NET_RAW CAP_NET_ADMIN"], unit["AmbientCapabilities"]);
        Assert.Equal(unit["AmbientCapabilities"], unit["CapabilityBoundingSet"]);
        foreach (var (key, value) in new[] { ("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("ProtectHome", "yes"), ("PrivateTmp", "yes"), ("PrivateDevices", "yes") })
            Assert.Equal([value], unit[key]);
        Assert.Contains("--RoutingFlow:DataDirectory=/var/lib/routingflow", unit["ExecStart"][0], StringComparison.Ordinal);
        Assert.Equal(["CAP_NET_RAW CAP_NET_ADMIN CAP_BPF CAP_PERFMON"], Unit(Path.Combine("routingflow.service.d", "ebpf.conf"))["AmbientCapabilities"]);
    }

    [RootTheory]
    [InlineData("pcap")]
    [InlineData("ebpf")]
    public async Task AsNobody_WithTheUnitsCapabilities_CaptureProbesAndStorageWork(string backend)
    {
        var caps = (backend == "ebpf" ? Unit(Path.Combine("routingflow.service.d", "ebpf.conf")) : Unit("routingflow.service"))["AmbientCapabilities"][0]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => c["CAP_".Length..].ToLowerInvariant()).ToList();
        var set = string.Join(',', caps.Select(c => "+" + c));
        await using var lab = await NamespaceLab.StartAsync("50mbit", "20mbit");
        await lab.StartProbeServersAsync();
        var data = Directory.CreateTempSubdirectory("rf-service-").FullName;
        File.SetUnixFileMode(data, (UnixFileMode)0x1FF); // 0777: the user writes its database here, as in its StateDirectory
        try
        {
            await using var server = await RoutingFlowServer.StartAsync(NicJson,
            [
                "--RoutingFlow:Capture:Interfaces:0:Name=lan0", "--RoutingFlow:Capture:Interfaces:0:Role=lan", $"--RoutingFlow:Capture:Backend={backend}",
                $"--RoutingFlow:Mapping:Static:0:Cidr={NamespaceLab.H1}/32", "--RoutingFlow:Mapping:Static:0:Nic=wan0",
                "--RoutingFlow:Mapping:Conntrack:Mode=off", // the mapping decides, so that with ebpf the kernel counts the hosts
                "--RoutingFlow:Probe:Targets:0:Method=download", $"--RoutingFlow:Probe:Targets:0:Url=http://{NamespaceLab.Isp0}/bytes",
                "--RoutingFlow:Probe:Targets:1:Method=download", $"--RoutingFlow:Probe:Targets:1:Url=http://{NamespaceLab.Isp1}/bytes",
                $"--RoutingFlow:DataDirectory={data}", "--RoutingFlow:Storage:FlushInterval=00:00:01",
            ], listen: NamespaceLab.RouterAddress, lab: lab,
            wrapper: ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", $"--inh-caps=-all,{set}", $"--ambient-caps=-all,{set}",
                $"--bounding-set=-all,{set}", "--no-new-privs", "env", "HOME=/tmp", "DOTNET_CLI_HOME=/tmp"]);

            var proc = await File.ReadAllLinesAsync($"/proc/{server.ProcessId}/status");
            var effective = Convert.ToUInt64(proc.Single(l => l.StartsWith("CapEff:", StringComparison.Ordinal))[7..].Trim(), 16);
            var uid = proc.Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
            output.WriteLine($"uid {uid}, CapEff {effective:x}");
            Assert.Equal("65534", uid);
            Assert.Equal(caps.Select(Bit).Aggregate(0UL, (a, b) => a | b), effective);

            await Eventually.WaitAsync(async () => (await server.StatusAsync()).GetProperty("nics").EnumerateArray()
                .All(n => n.GetProperty("probeState").GetString() == "ok"), Wait, "both WANs probed");
            lab.Start("inet", "iperf3", "-s", "-p", "5201");
            await Eventually.WaitAsync(async () => (await lab.ExecAsync("inet", "ss", "-ltn")).StandardOutput.Contains(":5201", StringComparison.Ordinal), Wait, "iperf3 server");
            var iperf = await lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-t", "2", "-b", "5M");
            Assert.True(iperf.ExitCode == 0, iperf.StandardError);
            var status = await Eventually.WaitAsync<JsonElement?>(async () =>
            {
                var s = await server.StatusAsync();
                var capture = s.GetProperty("captures")[0];
                return capture.GetProperty("state").GetString() == "running" && capture.GetProperty("packets").GetInt64() >= 40
                    && s.GetProperty("storage").GetProperty("written").GetInt64() > 0 ? s : null;
            }, Wait, "lan0 captured and samples written");
            var root = status!.Value;
            output.WriteLine(root.GetProperty("captures")[0].ToString());
            Assert.Equal(backend, root.GetProperty("captures")[0].GetProperty("backend").GetString());
            if (backend == "ebpf")
                Assert.Equal("running", root.GetProperty("devices").GetProperty("kernel").GetProperty("state").GetString()); // loaded as nobody with CAP_BPF
            Assert.Equal("ok", root.GetProperty("storage").GetProperty("state").GetString());
            Assert.Equal("65534", (await ProcessRunnerStatAsync(Path.Combine(data, "routingflow.db"))).Trim()); // the database is the user's own
            using var history = JsonDocument.Parse(await server.Http.GetStringAsync("api/history?nic=wan0&resolution=raw"));
            Assert.NotEmpty(history.RootElement.GetProperty("points").EnumerateArray());
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<string> ProcessRunnerStatAsync(string path) =>
        (await RoutingFlow.Testing.Processes.ProcessRunner.RunAsync("stat", ["-c", "%u", path], TimeSpan.FromSeconds(10))).StandardOutput;

    /// <summary>A capability's bit in /proc/PID/status (linux/capability.h).</summary>
    private static ulong Bit(string capability) => 1UL << capability switch
    {
        "net_admin" => 12,
        "net_raw" => 13,
        "perfmon" => 38,
        "bpf" => 39,
        _ => throw new ArgumentException($"no bit known for {capability}", nameof(capability)),
    };

    /// <summary>A unit file's settings (key → each value given), from deploy/systemd.</summary>
    private static Dictionary<string, List<string>> Unit(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RoutingFlow.sln")))
            directory = directory.Parent;
        var settings = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(directory!.FullName, "deploy", "systemd", name)))
        {
            var text = line.Trim();
            if (text.Length == 0 || text[0] is '#' or ';' or '[' || !text.Contains('=', StringComparison.Ordinal))
                continue;
            var at = text.IndexOf('=', StringComparison.Ordinal);
            var key = text[..at];
            if (!settings.TryGetValue(key, out var values))
                settings[key] = values = [];
            values.Add(text[(at + 1)..]);
        }
        return settings;
    }
}
