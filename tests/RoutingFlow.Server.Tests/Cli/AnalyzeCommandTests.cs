using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Pcap;

namespace RoutingFlow.Server.Tests.Cli;

/// <summary>The <c>analyze</c> command as a user runs it: the real program, its output and exit codes.</summary>
public sealed class AnalyzeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-cli-").FullName;

    private string Capture(int packets = 500)
    {
        var path = Path.Combine(_dir, "capture.pcap");
        SyntheticTraffic.WritePcap(path, SyntheticTraffic.Ethernet, packets, flows: 40);
        return path;
    }

    [Fact]
    public async Task Analyze_Capture_PrintsTheJsonContract()
    {
        var result = await RoutingFlowProcess.RunAsync("analyze", Capture());

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        foreach (var field in new[] { "file", "linkType", "packets", "bytes", "malformed", "truncated", "firstTimestamp", "lastTimestamp", "ips", "nics" })
            Assert.True(root.TryGetProperty(field, out _), $"missing {field}");
        Assert.Equal("EN10MB", root.GetProperty("linkType").GetString());
        Assert.Equal(500, root.GetProperty("packets").GetInt64());
        var ip = root.GetProperty("ips")[0];
        foreach (var field in new[] { "ip", "local", "nic", "txPackets", "txBytes", "rxPackets", "rxBytes" })
            Assert.True(ip.TryGetProperty(field, out _), $"missing ips[].{field}");
        Assert.Equal("wan0", root.GetProperty("nics")[0].GetProperty("nic").GetString());
    }

    [Fact]
    public async Task Analyze_Capture_HasATcpSection_AndListsFlowsOnRequest()
    {
        var result = await RoutingFlowProcess.RunAsync("analyze", Capture(2_000), "--flows", "3");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var tcp = json.RootElement.GetProperty("tcp");
        foreach (var field in new[] { "packets", "globalPackets", "flows", "missing", "duplicate", "outOfOrder", "windowShrink", "zeroWindow", "gapBytes", "rtt" })
            Assert.True(tcp.TryGetProperty(field, out _), $"missing tcp.{field}");
        Assert.True(tcp.GetProperty("packets").GetInt64() > 500);
        Assert.True(tcp.GetProperty("flows").GetInt64() > 10);
        Assert.Equal(JsonValueKind.Array, tcp.GetProperty("gapBytes").GetProperty("buckets").ValueKind);
        Assert.True(tcp.GetProperty("rtt").GetProperty("ack").TryGetProperty("count", out _));
        Assert.True(tcp.GetProperty("topFlows").GetArrayLength() <= 3);
    }

    [Fact]
    public async Task Analyze_NoTcp_LeavesTheSectionOut()
    {
        var result = await RoutingFlowProcess.RunAsync("analyze", Capture(), "--no-tcp");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.False(json.RootElement.TryGetProperty("tcp", out _));
    }

    [Fact]
    public async Task Analyze_CsvFormat_PrintsTheIpTable()
    {
        var result = await RoutingFlowProcess.RunAsync("analyze", Capture(), "--format", "csv");

        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.Trim().Split('\n');
        Assert.Equal("ip,local,nic,txPackets,txBytes,rxPackets,rxBytes", lines[0]);
        Assert.True(lines.Length > 10);
        Assert.All(lines.Skip(1), line => Assert.Equal(7, line.Split(',').Length));
    }

    [Fact]
    public async Task Analyze_CommandLineOverride_ChangesTheMapping()
    {
        var result = await RoutingFlowProcess.RunAsync("analyze", Capture(), "--format", "csv",
            "--RoutingFlow:NicFile=" + WriteNicFile(), "--RoutingFlow:Mapping:DefaultNic=wan1");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(",true,wan1,", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(",true,wan0,", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_Progress_SummarisesOnStderrAndLeavesStdoutJson()
    {
        var result = await RoutingFlowProcess.RunAsync("analyze", Capture(), "--progress");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"routingflow analyze: 500 packets, [0-9.]+ MB in [0-9.]+ s \([0-9.]+ M packets/s\)", result.StandardError);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(500, json.RootElement.GetProperty("packets").GetInt64());
    }

    [Fact]
    public async Task Analyze_StderrNotATerminal_NoProgressUnlessAsked()
    {
        var result = await RoutingFlowProcess.RunAsync("analyze", Capture());

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("packets/s", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_MissingFile_ExitsTwoNamingThePath()
    {
        var missing = Path.Combine(_dir, "nope.pcap");
        var result = await RoutingFlowProcess.RunAsync("analyze", missing);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{missing}: no such file", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_NotACapture_ExitsTwoWithReason()
    {
        var text = Path.Combine(_dir, "notes.txt");
        await File.WriteAllTextAsync(text, "this is not a capture file at all");
        var result = await RoutingFlowProcess.RunAsync("analyze", text);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{text}: not a pcap or pcapng capture", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_Directory_ExitsTwo()
    {
        var result = await RoutingFlowProcess.RunAsync("analyze", _dir);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is a directory", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_FileCutShort_WarnsAndReportsUpToTheCut()
    {
        var path = Capture();
        using (var stream = File.OpenWrite(path))
            stream.SetLength(stream.Length - 7);
        var result = await RoutingFlowProcess.RunAsync("analyze", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warning: file cut short", result.StandardError, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(499, json.RootElement.GetProperty("packets").GetInt64());
    }

    [Fact]
    public async Task Analyze_BadConfiguration_ExitsOneListingEveryKey()
    {
        var result = await RoutingFlowProcess.RunAsync("analyze", Capture(),
            "--RoutingFlow:Mapping:DefaultNic=wan9", "--RoutingFlow:Capture:LocalNetworks:0=10.0.0.1/8");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("RoutingFlow:Mapping:DefaultNic 'wan9'", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("RoutingFlow:Capture:LocalNetworks:0", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("analyze")]
    [InlineData("analyze", "a.pcap", "b.pcap")]
    [InlineData("analyze", "a.pcap", "--format", "xml")]
    [InlineData("analyze", "a.pcap", "--flows", "0")]
    [InlineData("analyze", "a.pcap", "--flows", "many")]
    [InlineData("analyze", "a.pcap", "--flows")]
    [InlineData("analyze", "a.pcap", "--flows", "5", "--no-tcp")]
    public async Task Analyze_BadArguments_ExitsOneWithUsage(params string[] arguments)
    {
        var result = await RoutingFlowProcess.RunAsync(arguments);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("usage: routingflow analyze FILE", result.StandardError, StringComparison.Ordinal);
    }

    private string WriteNicFile()
    {
        var path = Path.Combine(_dir, "nic.json");
        File.WriteAllText(path, """{"wan0":"eth0","wan1":"eth1"}""");
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
