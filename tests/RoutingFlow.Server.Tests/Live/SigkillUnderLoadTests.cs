using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Http;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Pcap;
using RoutingFlow.Testing.Waiting;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// SIGKILL under load, ten times in a row at random moments: a capture counting 50,000 frames/s that tcpreplay sends
/// all along, the monitor ticking, a threshold rule firing into a webhook receiver that is down. Each time the database
/// passes SQLite's integrity check and its newest sample is at most <c>Storage:FlushInterval</c> (2 s, plus a tick and
/// the kill's latency) older than the kill; then, the receiver up, every kept delivery is sent and none is kept.
/// </summary>
public sealed class SigkillUnderLoadTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [RootFact]
    public async Task TenSigkillsUnderLoad_LoseAtMostAFlushIntervalEach_AndKeepTheQueuedWebhooks()
    {
        await using var lab = await NamespaceLab.StartAsync();
        await Run(lab, "ip link add kill0 type veth peer name kill1");
        foreach (var end in new[] { "kill0", "kill1" })
        {
            await Run(lab, $"sysctl -qw net.ipv6.conf.{end}.disable_ipv6=1");
            await Run(lab, $"ip link set {end} up");
        }
        var dir = Directory.CreateTempSubdirectory("rf-kill-").FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0x1ED);
        var pcap = Path.Combine(dir, "load.pcap");
        SyntheticTraffic.WritePcap(pcap, SyntheticTraffic.Ethernet, 100_000, flows: 2_000, snapLength: 128);
        var data = Path.Combine(dir, "data");
        var database = Path.Combine(data, "routingflow.db");
        var hookPort = PrometheusServer.FreePort(); // nothing listens there until the end: the receiver is down
        string[] settings =
        [
            $"--RoutingFlow:DataDirectory={data}", "--RoutingFlow:Capture:Promiscuous=true",
            $"--RoutingFlow:Alerts:Webhooks:0=http://{NamespaceLab.RootAddress}:{hookPort}/webhook", "--RoutingFlow:Alerts:RetryFor=01:00:00",
            "--RoutingFlow:Alerts:Rules:0:Name=always", "--RoutingFlow:Alerts:Rules:0:Metric=routingflow_capture_up", "--RoutingFlow:Alerts:Rules:0:Op=>",
            "--RoutingFlow:Alerts:Rules:0:Value=-1", "--RoutingFlow:Alerts:EvaluationInterval=00:00:01",
        ];
        try
        {
            lab.Start("router", "tcpreplay", "-q", "-i", "kill1", "--pps=50000", "--loop=0", "--preload-pcap", pcap);
            var random = new Random(2028);
            for (var kill = 0; kill < 10; kill++)
            {
                var started = DateTimeOffset.UtcNow;
                var server = await RoutingFlowServer.StartAsync("""{"wan0":"kill0"}""", settings, listen: NamespaceLab.RouterAddress, lab: lab);
                await Eventually.WaitAsync(async () => (await server.StatusAsync()).GetProperty("captures")[0].GetProperty("packets").GetInt64() > 0
                    && await NewestSampleAsync(database) > started, Wait, "the capture counting and a first flush of this run's samples");
                await Task.Delay(random.Next(0, 4000)); // a random moment: between flushes, mid-flush, while delivering
                var killedAt = DateTimeOffset.UtcNow;
                await server.KillAsync();

                Assert.Equal("ok", await WebhookPersistenceTests.ScalarAsync(database, "PRAGMA integrity_check"));
                var last = await NewestSampleAsync(database);
                output.WriteLine($"kill {kill + 1}: newest sample {(killedAt - last).TotalSeconds:0.00} s before the kill");
                Assert.True(killedAt - last <= TimeSpan.FromSeconds(2 + 1 + 0.5), $"kill {kill + 1}: newest sample {last:O}, killed at {killedAt:O}");
            }
            var kept = await WebhookPersistenceTests.PendingAsync(database);
            Assert.NotEmpty(kept);

            await using var receiver = ProbeTestServer.Start(new IPEndPoint(IPAddress.Parse(NamespaceLab.RootAddress), hookPort));
            await using var restarted = await RoutingFlowServer.StartAsync("""{"wan0":"kill0"}""", settings, listen: NamespaceLab.RouterAddress, lab: lab);
            await Eventually.WaitAsync(async () => (await WebhookPersistenceTests.PendingAsync(database)).Count == 0 && kept.All(receiver.Webhooks.Contains),
                TimeSpan.FromSeconds(60), $"the {kept.Count} kept deliveries sent and none kept");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<DateTimeOffset> NewestSampleAsync(string database) =>
        await WebhookPersistenceTests.ScalarAsync(database, "SELECT MAX(Time) FROM wan_samples") is { Length: > 0 } text
            ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(text, CultureInfo.InvariantCulture)) : DateTimeOffset.MinValue;

    private static async Task Run(NamespaceLab lab, string command)
    {
        var result = await lab.ExecAsync("router", "sh", "-c", command);
        Assert.True(result.ExitCode == 0, $"{command}: {result.StandardError}");
    }
}
