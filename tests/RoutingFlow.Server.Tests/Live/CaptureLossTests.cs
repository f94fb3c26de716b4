using Xunit.Abstractions;
using System.Globalization;
using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Pcap;
using RoutingFlow.Testing.Processes;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// No frame is lost without a trace: tcpreplay floods a veth the server captures while stress-ng keeps every core
/// busy, and the server is stopped for two seconds in the middle (a starved capture thread), so that its small ring
/// overflows. Every frame the interface received is either counted (<c>packets</c>) or reported dropped
/// (<c>drops</c>, the kernel's ring drops: SharpPcap read libpcap's counts with the wrong layout on 64-bit, and
/// drops always read 0).
/// </summary>
public sealed class CaptureLossTests(ITestOutputHelper output)
{
    private const int Frames = 100_000;
    private const int Loops = 6;

    [RootFact]
    public async Task Capture_StarvedWhileFlooded_CountsOrReportsEveryFrame()
    {
        await using var lab = await NamespaceLab.StartAsync();
        await Run(lab, "ip link add loss0 type veth peer name loss1");
        foreach (var end in new[] { "loss0", "loss1" })
        {
            await Run(lab, $"sysctl -qw net.ipv6.conf.{end}.disable_ipv6=1"); // quiet unless the test sends
            await Run(lab, $"ip link set {end} up");
        }
        var pcap = Path.Combine(Path.GetTempPath(), $"rf-loss-{Guid.NewGuid():N}.pcap");
        SyntheticTraffic.WritePcap(pcap, SyntheticTraffic.Ethernet, Frames, flows: 5_000, snapLength: 128);
        try
        {
            await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"loss0"}""",
            [
                "--RoutingFlow:Capture:BufferSize=2097152", "--RoutingFlow:Capture:Promiscuous=true", "--RoutingFlow:Capture:SnapLength=128",
            ], listen: NamespaceLab.RouterAddress, lab: lab);
            await Eventually.WaitAsync(async () => Capture(await server.StatusAsync()).GetProperty("state").GetString() == "running",
                TimeSpan.FromSeconds(20), "the capture on loss0 to run");
            var memory = (await server.StatusAsync()).GetProperty("memory");
            Assert.Equal(2_097_152, memory.GetProperty("captureRingBytes").GetInt64()); // the one running capture's ring
            Assert.True(memory.GetProperty("rssBytes").GetInt64() > memory.GetProperty("managedHeapBytes").GetInt64());
            var before = await CountsAsync(lab, server);

            lab.Start("router", "stress-ng", "--cpu", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), "--timeout", "60s", "--quiet");
            var replay = lab.Start("router", "tcpreplay", "-i", "loss1", "--pps=100000", $"--loop={Loops}", "--preload-pcap", pcap);
            await Eventually.WaitAsync(async () => (await CountsAsync(lab, server)).Kernel - before.Kernel > Frames,
                TimeSpan.FromSeconds(30), "the replay to be under way");
            await Run(lab, $"kill -STOP {server.ProcessId}");
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2)); // the point of the test: the capture does not read for 2 s
            }
            finally
            {
                await Run(lab, $"kill -CONT {server.ProcessId}");
            }
            Assert.Equal(0, await replay.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            var after = await SettledAsync(lab, server);

            var (kernel, received, packets, drops) = (after.Kernel - before.Kernel, after.Received - before.Received,
                after.Packets - before.Packets, after.Drops - before.Drops);
            output.WriteLine($"kernel rx {kernel}, received by filter {received}, packets {packets}, drops {drops}");
            Assert.True(kernel >= Frames * Loops, $"the interface received {kernel} of {Frames * Loops} frames");
            Assert.True(drops > 0, "two seconds without reading overflow a 2 MiB ring at 100,000 frames/s, and the kernel's drops are reported");
            Assert.Equal(received, packets + drops);
            Assert.True(Math.Abs(packets + drops - kernel) <= kernel * 0.005, $"packets + drops = {packets + drops} against the kernel's {kernel}");
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    private sealed record Counts(long Kernel, long Received, long Packets, long Drops);

    private static JsonElement Capture(JsonElement status) => status.GetProperty("captures")[0];

    private static async Task<Counts> CountsAsync(NamespaceLab lab, RoutingFlowServer server)
    {
        var capture = Capture(await server.StatusAsync());
        var rx = await lab.ExecAsync("router", "cat", "/sys/class/net/loss0/statistics/rx_packets");
        return new Counts(long.Parse(rx.StandardOutput.Trim(), CultureInfo.InvariantCulture), capture.GetProperty("receivedByFilter").GetInt64(),
            capture.GetProperty("packets").GetInt64(), capture.GetProperty("drops").GetInt64());
    }

    /// <summary>The counts once the capture has published everything the ring held (two publications alike).</summary>
    private static async Task<Counts> SettledAsync(NamespaceLab lab, RoutingFlowServer server)
    {
        Counts? previous = null;
        return await Eventually.WaitAsync(async () =>
        {
            var now = await CountsAsync(lab, server);
            var settled = previous is not null && now == previous;
            previous = now;
            return settled ? now : null;
        }, TimeSpan.FromSeconds(30), "the capture's counts to settle", TimeSpan.FromMilliseconds(1500));
    }

    private static async Task Run(NamespaceLab lab, string command)
    {
        var result = await lab.ExecAsync("router", "sh", "-c", command);
        Assert.True(result.ExitCode == 0, $"{command}: {result.StandardError}");
    }
}
