using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Oracles;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// Real traffic recorded by tcpdump in the lab (Ethernet on lan0, the <c>any</c> device as SLL2, and a
/// snaplen-truncated capture): <c>routingflow analyze</c> must agree exactly with tshark's endpoint statistics.
/// </summary>
public sealed class LabCaptureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-labcap-").FullName;

    [RootFact]
    public async Task Analyze_RealLabTraffic_AgreesExactlyWithTshark()
    {
        await using var lab = await NamespaceLab.StartAsync("50mbit", "50mbit");
        var lan = Path.Combine(_dir, "lan0.pcap");
        var any = Path.Combine(_dir, "any.pcap");
        var cut = Path.Combine(_dir, "lan0-snap64.pcap");
        var dumps = new[]
        {
            lab.Start("router", "tcpdump", "-n", "-U", "-i", "lan0", "-w", lan),
            lab.Start("router", "tcpdump", "-n", "-U", "-i", "any", "-y", "LINUX_SLL2", "-w", any),
            lab.Start("router", "tcpdump", "-n", "-U", "-i", "lan0", "-s", "64", "-w", cut),
        };
        foreach (var dump in dumps)
            await Eventually.WaitAsync(() => Task.FromResult(dump.Output.Contains("listening on", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "tcpdump to listen");

        await MakeTrafficAsync(lab);
        foreach (var dump in dumps)
            await dump.InterruptAsync(TimeSpan.FromSeconds(10));

        await AssertAgreesAsync(lan, "EN10MB", expectTruncated: false);
        await AssertAgreesAsync(any, "LINUX_SLL2", expectTruncated: false);
        await AssertAgreesAsync(cut, "EN10MB", expectTruncated: true);
    }

    private static async Task MakeTrafficAsync(NamespaceLab lab)
    {
        lab.Start("inet", "iperf3", "-s", "-p", "5201");
        await Eventually.WaitAsync(async () => (await lab.ExecAsync("inet", "ss", "-ltn")).StandardOutput.Contains(":5201", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "iperf3 server");
        await Run(lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-t", "2", "-R"));
        await Run(lab.Iperf3Async("h2", "-6", "-c", NamespaceLab.Server6, "-p", "5201", "-t", "2"));
        await Run(lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-t", "1", "-u", "-b", "5M"));
        await Run(lab.Iperf3Async("h2", "-c", NamespaceLab.Server, "-p", "5201", "-t", "1", "-M", "500"));
    }

    private static async Task Run(Task<RoutingFlow.Testing.Processes.ProcessResult> command)
    {
        var result = await command;
        Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);
    }

    private static async Task AssertAgreesAsync(string pcap, string linkType, bool expectTruncated)
    {
        var result = await RoutingFlowProcess.RunAsync("analyze", pcap);
        Assert.True(result.ExitCode == 0, result.StandardError);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.Equal(linkType, root.GetProperty("linkType").GetString());
        Assert.True(root.GetProperty("packets").GetInt64() > 1000, "too little traffic recorded");
        Assert.Equal(expectTruncated, root.GetProperty("truncated").GetInt64() > 0);
        Assert.Equal(0, root.GetProperty("malformed").GetInt64());
        var ours = root.GetProperty("ips").EnumerateArray().ToDictionary(
            ip => ip.GetProperty("ip").GetString()!,
            ip => new EndpointStats(ip.GetProperty("txPackets").GetInt64(), ip.GetProperty("txBytes").GetInt64(),
                ip.GetProperty("rxPackets").GetInt64(), ip.GetProperty("rxBytes").GetInt64()));
        var tshark = await TsharkEndpoints.ReadAsync(pcap);
        Assert.Contains(NamespaceLab.H1, tshark.Keys);
        Assert.Contains(NamespaceLab.H2v6, tshark.Keys);
        Assert.Equal(tshark.OrderBy(kv => kv.Key), ours.OrderBy(kv => kv.Key));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
