using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Waiting;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// Interface rates against the kernel's counters and capture coverage, in the lab: h1 uploads through wan0 (shaped to
/// 100 Mbit/s at isp0) for 8 s; while it does, the server's per-second rate of wan0's transmit side is sampled and
/// its median must be within 2% of the rate the test computes itself from wan0's counters in /sys over the same
/// stretch, and its byte total must match the counter. Afterwards wan0's capture covers 100% of the bytes the kernel
/// counted (within 3%); a capture whose filter passes only UDP covers almost none of this TCP traffic.
/// </summary>
public sealed class LabBandwidthTests(ITestOutputHelper output)
{
    private const string NicJson = """{"nics":[{"name":"wan0","interface":"wan0"},{"name":"wan1","interface":"wan1"}]}""";

    [RootFact]
    public async Task InterfaceRates_MatchTheKernelsCounters_AndTheCaptureCoversItsInterface()
    {
        await using var lab = await NamespaceLab.StartAsync("100mbit", "100mbit");
        lab.Start("inet", "iperf3", "-s", "-p", "5201");
        await Eventually.WaitAsync(async () => (await lab.ExecAsync("inet", "ss", "-ltn")).StandardOutput.Contains(":5201", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "iperf3 server");
        await using (var server = await RoutingFlowServer.StartAsync(NicJson, [], listen: NamespaceLab.RouterAddress, lab: lab))
        {
            await Eventually.WaitAsync(async () => (await CoverageAsync(server))?.GetProperty("seconds").GetDouble() >= 1, TimeSpan.FromSeconds(20), "a coverage window");
            var upload = lab.Start("h1", "iperf3", "-c", NamespaceLab.Server, "-p", "5201", "-t", "8");
            await Task.Delay(TimeSpan.FromSeconds(2)); // past TCP's ramp-up: the shaped rate is steady from here
            var clock = Stopwatch.StartNew();
            var (_, txStart) = await lab.InterfaceBytesAsync("router", "wan0");
            var samples = new List<double>();
            while (clock.Elapsed < TimeSpan.FromSeconds(4))
            {
                samples.Add((await Wan0Async(server)).GetProperty("rates").GetProperty("now").GetProperty("txBps").GetDouble());
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
            var (_, txEnd) = await lab.InterfaceBytesAsync("router", "wan0");
            var kernelBps = (txEnd - txStart) * 8 / clock.Elapsed.TotalSeconds;
            var ours = await Wan0Async(server);
            var (_, txNow) = await lab.InterfaceBytesAsync("router", "wan0");
            var median = samples.Order().ElementAt(samples.Count / 2);
            output.WriteLine($"kernel {kernelBps / 1e6:F2} Mbit/s; ours (median of {samples.Count}) {median / 1e6:F2}: {string.Join(", ", samples.Select(s => (s / 1e6).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}");
            Assert.InRange(median, kernelBps * 0.98, kernelBps * 1.02);
            Assert.InRange(ours.GetProperty("txBytes").GetInt64(), txNow - (long)(kernelBps / 8 * 2), txNow);

            await upload.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var coverage = await Eventually.WaitAsync<object>(async () => await CoverageAsync(server) is { } c
                && c.GetProperty("ratio").ValueKind == JsonValueKind.Number && c.GetProperty("seconds").GetDouble() >= 12 ? c : null,
                TimeSpan.FromSeconds(20), "wan0's coverage over the whole upload") is JsonElement e ? e : default;
            output.WriteLine($"coverage {coverage}");
            Assert.InRange(coverage.GetProperty("ratio").GetDouble(), 0.97, 1.03);
            var status = await server.Http.GetFromJsonAsync<JsonElement>("status");
            Assert.InRange(status.GetProperty("captures").EnumerateArray().Single(c => c.GetProperty("interface").GetString() == "wan0")
                .GetProperty("coverage").GetDouble(), 0.97, 1.03);
            var metrics = await server.MetricsAsync();
            Assert.InRange(RoutingFlowServer.Value(metrics, "routingflow_interface_capture_coverage_ratio", "interface=\"wan0\"") ?? 0, 0.97, 1.03);
            Assert.True(RoutingFlowServer.Value(metrics, "routingflow_interface_rate_bps", "interface=\"wan0\",direction=\"tx\",window=\"1m\"") > 1e6);
            Assert.True(RoutingFlowServer.Value(metrics, "routingflow_interface_wan_rate_bps", "nic=\"wan0\",direction=\"tx\",window=\"1m\"") > 1e6);
            var csv = await server.Http.GetStringAsync("api/network/bandwidth?format=csv");
            Assert.StartsWith("kind,name,interface,rxBytes,txBytes,rxBps,txBps", csv, StringComparison.Ordinal);
            Assert.Contains("\r\nwan,wan0,wan0,", csv, StringComparison.Ordinal);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await server.Http.GetAsync("api/network/bandwidth?format=xml")).StatusCode);
        }

        // A capture that filters out this traffic covers little of its interface.
        await using (var filtered = await RoutingFlowServer.StartAsync(NicJson, ["--RoutingFlow:Capture:Filter=udp"], listen: NamespaceLab.RouterAddress, lab: lab))
        {
            await Eventually.WaitAsync(async () => (await CoverageAsync(filtered))?.GetProperty("seconds").GetDouble() >= 1, TimeSpan.FromSeconds(20), "a coverage window");
            await lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-t", "2");
            var ratio = await Eventually.WaitAsync<object>(async () => await CoverageAsync(filtered) is { } c
                && c.GetProperty("interfaceBytes").GetInt64() > 1_000_000 ? (object)c.GetProperty("ratio").GetDouble() : null, TimeSpan.FromSeconds(20), "the upload to be counted");
            output.WriteLine($"filtered coverage {ratio}");
            Assert.True((double)ratio < 0.1, $"a udp-only capture covered {ratio} of TCP traffic");
        }
    }

    private static async Task<JsonElement> Wan0Async(RoutingFlowServer server) =>
        (await server.Http.GetFromJsonAsync<JsonElement>("api/network/bandwidth")).GetProperty("interfaces").EnumerateArray()
            .Single(i => i.GetProperty("name").GetString() == "wan0");

    private static async Task<JsonElement?> CoverageAsync(RoutingFlowServer server) =>
        (await server.Http.GetFromJsonAsync<JsonElement>("api/network/bandwidth")).GetProperty("coverage").EnumerateArray()
            .Where(c => c.GetProperty("interface").GetString() == "wan0").Select(c => (JsonElement?)c).FirstOrDefault();
}
