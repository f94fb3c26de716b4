using System.Net.Http.Json;
using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Waiting;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// The eBPF backend without the capabilities to load BPF programs (a server under <c>capsh --drop</c> of CAP_BPF,
/// CAP_SYS_ADMIN and CAP_PERFMON; libpcap still works): <c>auto</c> falls back to libpcap and says why; <c>ebpf</c>
/// reports the failure with its fix, on /status and on the attached device, and everything else keeps serving.
/// </summary>
public sealed class KernelBackendFailureTests(ITestOutputHelper output)
{
    [RootTheory]
    [InlineData("auto")]
    [InlineData("ebpf")]
    public async Task WithoutCapBpf_TheReasonAndFixAreShown_AndTheServerServes(string backend)
    {
        await using var server = await RoutingFlowServer.StartAsync("""{"nics":[{"name":"wan0","interface":"lo"}]}""",
            [$"--RoutingFlow:Capture:Backend={backend}", "--RoutingFlow:Capture:LocalNetworks:0=127.0.0.0/8"],
            wrapper: ["capsh", "--drop=cap_bpf,cap_sys_admin,cap_perfmon", "--", "-c", "exec \"$0\" \"$@\""]);
        var devices = (await server.StatusAsync()).GetProperty("devices");
        output.WriteLine(devices.ToString());
        var kernel = devices.GetProperty("kernel");
        Assert.Equal("failed", kernel.GetProperty("state").GetString());
        Assert.Contains("Operation not permitted", kernel.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("CAP_BPF", kernel.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Equal(backend == "auto" ? "pcap" : "ebpf", devices.GetProperty("backend").GetString());
        Assert.Contains("eBPF backend unavailable", server.Output, StringComparison.Ordinal);

        var attach = await server.Http.PostAsJsonAsync("traffic_count_attach_device", new { iface = "lo", action = "add" });
        Assert.Equal(System.Net.HttpStatusCode.OK, attach.StatusCode); // the same contract either way
        var device = await Eventually.WaitAsync<object>(async () =>
            (await server.Http.GetFromJsonAsync<JsonElement>("api/devices")).GetProperty("devices").EnumerateArray()
                .FirstOrDefault(d => d.GetProperty("state").GetString() != "starting") is { ValueKind: JsonValueKind.Object } d ? d.Clone() : null,
            TimeSpan.FromSeconds(20), "lo to be counted or to fail") is JsonElement e ? e : default;
        output.WriteLine(device.ToString());
        if (backend == "auto")
        {
            Assert.Equal("running", device.GetProperty("state").GetString()); // libpcap counts it: lo is the WAN capture
            Assert.Equal("wan", device.GetProperty("capture").GetString());
        }
        else
        {
            Assert.Equal("failed", device.GetProperty("state").GetString());
            Assert.Contains("CAP_BPF", device.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
        Assert.True((await server.Http.GetAsync("healthz")).IsSuccessStatusCode);
        Assert.Contains("routingflow_", await server.Http.GetStringAsync("metrics"), StringComparison.Ordinal);
    }
}
