using System.Globalization;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Network;
using RoutingFlow.Server.Network;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Processes;
using RoutingFlow.Testing.Waiting;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// The socket collector against <c>ss</c> and <c>nstat</c>, in a namespace the test creates: a listener that never
/// accepts with 5 connections made to it, 3 connections refused, 2 left half-open (their SYNs dropped by iptables),
/// 4 unconnected and 1 connected UDP sockets. The collector reads that namespace through the holding process's
/// <c>/proc/PID/net</c>; its counts by state equal <c>ss -tan</c> / <c>ss -uan</c>, and its kernel counters equal
/// <c>nstat -as</c>'s (those that did not move between two nstat reads around it; SYN retransmissions move some).
/// </summary>
public sealed class SocketCollectorTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Script = """
        import socket, sys, time
        listener = socket.socket(); listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 7001)); listener.listen(16)
        keep = [listener]
        for _ in range(5):
            c = socket.socket(); c.connect(("127.0.0.1", 7001)); keep.append(c)
        for _ in range(3):
            try:
                socket.create_connection(("127.0.0.1", 7002), timeout=2)
            except ConnectionRefusedError:
                pass
        for _ in range(2):
            h = socket.socket(); h.setblocking(False); h.connect_ex(("127.0.0.1", 7003)); keep.append(h)
        for port in range(4):
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 7100 + port)); keep.append(u)
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.connect(("127.0.0.1", 7100)); keep.append(u)
        print("ready", flush=True)
        time.sleep(600)
        """;

    private readonly string _namespace = $"rf-{Environment.ProcessId}-sock";
    private BackgroundProcess? _holder;

    [RootFact]
    public async Task Collector_CountsAsSsAndNstatDo_InANamespaceWithKnownSockets()
    {
        await Run("ip", "netns", "add", _namespace);
        await Run("ip", "-n", _namespace, "link", "set", "lo", "up");
        await Run("ip", "netns", "exec", _namespace, "iptables", "-A", "INPUT", "-p", "tcp", "--dport", "7003", "--syn", "-j", "DROP");
        _holder = BackgroundProcess.Start("ip", ["netns", "exec", _namespace, "python3", "-c", Script]);
        await Eventually.WaitAsync(() => Task.FromResult(_holder.Output.Contains("ready", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "the sockets to be open");

        var before = await NstatAsync();
        var collector = new SocketCollector(new NetworkOptions { ProcNet = $"/proc/{_holder.Id}/net" }, TimeProvider.System);
        var scan = collector.Scan();
        var after = await NstatAsync();

        var tcp = await SsStatesAsync("-tan");
        var udp = await SsStatesAsync("-uan");
        output.WriteLine($"ss tcp: {string.Join(", ", tcp)}; udp: {string.Join(", ", udp)}");
        Assert.Equal(tcp, Ours(scan, "tcp"));
        Assert.Equal(udp, Ours(scan, "udp"));
        Assert.Equal(10, tcp.GetValueOrDefault("ESTAB")); // 5 pairs, both ends (accepted or not)
        Assert.Equal(1, tcp.GetValueOrDefault("LISTEN"));
        Assert.Equal(2, tcp.GetValueOrDefault("SYN-SENT"));
        Assert.Equal(4, udp.GetValueOrDefault("UNCONN"));
        Assert.Equal(1, udp.GetValueOrDefault("ESTAB"));

        var ours = scan.Counters.ToDictionary(c => c.Name, c => c.Value);
        var compared = 0;
        foreach (var name in KernelCounters.Names)
        {
            if (!before.TryGetValue(name, out var was) || after[name] != was)
                continue; // moved while we read (SYN retransmissions), or nstat does not have it
            Assert.True(ours.TryGetValue(name, out var value) && value == was, $"{name}: nstat {was}, ours {(ours.TryGetValue(name, out var v) ? v : "none")}");
            compared++;
        }
        output.WriteLine($"{compared} of {KernelCounters.Count} counters compared with nstat");
        Assert.True(compared >= 20, $"only {compared} counters were stable");
        Assert.Equal(10, ours["TcpActiveOpens"]); // 5 + 3 refused + 2 half-open
        Assert.Equal(3, ours["TcpAttemptFails"]);
        Assert.Equal(5, ours["TcpPassiveOpens"]);
        Assert.Equal(10, ours["TcpCurrEstab"]);
        Assert.All(scan.Sources, s => Assert.Equal("ok", s.State));
    }

    [Fact]
    public void AMissingFile_IsReported_AndRetriedWithBackOff_WhileTheRestIsRead()
    {
        var dir = Directory.CreateTempSubdirectory("rf-procnet-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "tcp"), "  sl  local_address rem_address   st\n   0: 0100007F:1B59 00000000:0000 0A 0\n");
            var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
            var collector = new SocketCollector(new NetworkOptions { ProcNet = dir, SocketScanInterval = TimeSpan.FromSeconds(5) }, time);

            var first = collector.Scan();
            Assert.Equal([new SocketStateReading("tcp", "listen", 1)], first.Sockets);
            var udp = first.Sources.Single(s => s.Path.EndsWith("/udp", StringComparison.Ordinal));
            Assert.Equal("failing", udp.State);
            Assert.Contains("does not exist", udp.Error, StringComparison.Ordinal);
            Assert.Equal(5, udp.RetryInSeconds);

            time.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(10, collector.Scan().Sources.Single(s => s.Path.EndsWith("/udp", StringComparison.Ordinal)).RetryInSeconds); // doubled

            File.WriteAllText(Path.Combine(dir, "udp"), "  sl  local_address rem_address   st\n   0: 0100007F:1B59 00000000:0000 07 0\n");
            time.Advance(TimeSpan.FromSeconds(10));
            var recovered = collector.Scan();
            Assert.Equal("ok", recovered.Sources.Single(s => s.Path.EndsWith("/udp", StringComparison.Ordinal)).State);
            Assert.Contains(new SocketStateReading("udp", "close", 1), recovered.Sockets);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Dictionary<string, long> Ours(SocketScan scan, string protocol) => scan.Sockets
        .Where(s => s.Protocol == protocol || s.Protocol == protocol + "6")
        .GroupBy(s => SocketStates.SsName(Array.IndexOf(StateNames, s.State)))
        .ToDictionary(g => g.Key, g => g.Sum(s => s.Count));

    private static readonly string[] StateNames = [.. Enumerable.Range(0, SocketStates.Count).Select(SocketStates.Name)];

    /// <summary><c>ss -tan</c> (or <c>-uan</c>) in the namespace: sockets by the state in its first column.</summary>
    private async Task<Dictionary<string, long>> SsStatesAsync(string flags)
    {
        var result = await ProcessRunner.RunAsync("ip", ["netns", "exec", _namespace, "ss", flags], TimeSpan.FromSeconds(10));
        Assert.Equal(0, result.ExitCode);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0])
            .GroupBy(s => s).ToDictionary(g => g.Key, g => (long)g.Count());
    }

    /// <summary><c>nstat -as</c>: every counter's absolute value, without touching nstat's history file.</summary>
    private async Task<Dictionary<string, long>> NstatAsync()
    {
        var result = await ProcessRunner.RunAsync("ip", ["netns", "exec", _namespace, "nstat", "-asz"], TimeSpan.FromSeconds(10));
        Assert.Equal(0, result.ExitCode);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 2 && long.TryParse(f[1], CultureInfo.InvariantCulture, out _))
            .ToDictionary(f => f[0], f => long.Parse(f[1], CultureInfo.InvariantCulture));
    }

    private static async Task Run(string file, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(file, arguments, TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: {result.StandardError}");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_holder is not null)
            await _holder.DisposeAsync();
        if (Environment.UserName == "root")
            await ProcessRunner.RunAsync("ip", ["netns", "del", _namespace], TimeSpan.FromSeconds(20)); // by id, even when the test failed
    }
}
