using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Browser;
using RoutingFlow.Testing.Http;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Pcap;
using RoutingFlow.Testing.Processes;
using RoutingFlow.Testing.Waiting;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// The server under load for a while (3 minutes here; <c>scripts/soak.sh</c> runs 30 with <c>RF_SOAK_MINUTES</c>):
/// tcpreplay sends 200,000 frames/s of 50,000 flows (churning a 4,096-host table) in 20-second bursts with 10-second
/// pauses, a threshold rule fires and resolves on each burst (webhooks to a receiver), <c>/metrics</c> is scraped every
/// second and the dashboard is open in Chromium. After the warm-up, RSS, open files, threads and the database stay flat
/// (the last third of the samples against the middle third), no frame is dropped, and nothing fails in the log.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Flows = 50_000;
    private const int FramesPerSecond = 200_000;
    private static readonly TimeSpan Burst = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);

    [RootFact]
    public async Task UnderCaptureLoad_ScrapedWithTheDashboardOpenAndWebhooksFiring_ResourcesStayFlat()
    {
        var minutes = double.Parse(Environment.GetEnvironmentVariable("RF_SOAK_MINUTES") ?? "3", CultureInfo.InvariantCulture);
        var duration = TimeSpan.FromMinutes(minutes);
        await using var lab = await NamespaceLab.StartAsync();
        await Run(lab, "ip link add soak0 type veth peer name soak1");
        foreach (var end in new[] { "soak0", "soak1" })
        {
            await Run(lab, $"sysctl -qw net.ipv6.conf.{end}.disable_ipv6=1");
            await Run(lab, $"ip link set {end} up");
        }
        var dir = Directory.CreateTempSubdirectory("rf-soak-").FullName;
        var pcap = Path.Combine(dir, "churn.pcap");
        SyntheticTraffic.WritePcap(pcap, SyntheticTraffic.Ethernet, 400_000, Flows, snapLength: 128);
        var data = Path.Combine(dir, "data");
        var hookPort = PrometheusServer.FreePort();
        await using var receiver = ProbeTestServer.Start(new IPEndPoint(IPAddress.Parse(NamespaceLab.RootAddress), hookPort));
        try
        {
            await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"soak0"}""",
            [
                $"--RoutingFlow:DataDirectory={data}", "--RoutingFlow:Capture:MaxTrackedIps=4096", "--RoutingFlow:Capture:Promiscuous=true",
                $"--RoutingFlow:Alerts:Webhooks:0=http://{NamespaceLab.RootAddress}:{hookPort}/webhook", "--RoutingFlow:Alerts:EvaluationInterval=00:00:01",
                "--RoutingFlow:Alerts:Rules:0:Name=busy", "--RoutingFlow:Alerts:Rules:0:Metric=rate(routingflow_capture_packets_total)",
                "--RoutingFlow:Alerts:Rules:0:Op=>", "--RoutingFlow:Alerts:Rules:0:Value=50000", "--RoutingFlow:Alerts:Rules:0:For=00:00:02",
            ], listen: NamespaceLab.RouterAddress, lab: lab);
            await Eventually.WaitAsync(async () => Capture(await server.StatusAsync()).GetProperty("state").GetString() == "running",
                TimeSpan.FromSeconds(20), "the capture on soak0 to run");
            await using var browser = await HeadlessChromium.StartAsync(NamespaceLab.RouterAddress);
            await browser.NavigateAsync(server.Http.BaseAddress!.ToString());

            using var stop = new CancellationTokenSource(duration);
            var load = ReplayAsync(lab, pcap, stop.Token);
            var scrapes = ScrapeAsync(server, stop.Token);
            var samples = await SampleAsync(server, data, stop.Token);
            await load;
            var (scraped, failedScrapes) = await scrapes;

            var status = await server.StatusAsync();
            var capture = Capture(status);
            Report(samples, scraped, failedScrapes, receiver.Webhooks.Count, capture);
            Assert.Equal(0, failedScrapes);
            Assert.True(scraped >= duration.TotalSeconds * 0.8, $"only {scraped} scrapes");
            Assert.Equal(0, capture.GetProperty("drops").GetInt64());
            Assert.True(capture.GetProperty("evictions").GetInt64() > 0, "the host table churned");
            Assert.True(receiver.Webhooks.Count(w => w.Contains(RoutingFlow.Server.Alerts.AlertPayload.Firing, StringComparison.Ordinal)) >= 2, $"{receiver.Webhooks.Count} webhooks");
            Assert.DoesNotContain(server.Output.Split('\n'), l => l.StartsWith("fail:", StringComparison.Ordinal));
            Flat(samples, s => s.RssBytes / 1e6, "RSS (MB)", allowed: 0.15);
            Flat(samples, s => s.Files, "open files", allowed: 0.1, slack: 4);
            Flat(samples, s => s.Threads, "threads", allowed: 0.1, slack: 4);
            Flat(samples, s => s.DatabaseBytes / 1e6, "database (MB)", allowed: 0.5, slack: 1);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>One look at the server's process.</summary>
    public sealed record Sample(TimeSpan At, long RssBytes, int Files, int Threads, long DatabaseBytes, long Packets, long Drops);

    /// <summary>Bursts of <see cref="FramesPerSecond"/> frames/s for <see cref="Burst"/>, then <see cref="Pause"/>, until stopped.</summary>
    private static async Task ReplayAsync(NamespaceLab lab, string pcap, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var frames = (long)(FramesPerSecond * Burst.TotalSeconds);
            var replay = lab.Start("router", "tcpreplay", "-q", "-i", "soak1", $"--pps={FramesPerSecond}", $"--limit={frames}", "--loop=0", "--preload-pcap", pcap);
            var exited = replay.WaitForExitAsync(Burst + TimeSpan.FromSeconds(30));
            var stopped = Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            if (await Task.WhenAny(exited, stopped) == stopped)
            {
                await replay.InterruptAsync(TimeSpan.FromSeconds(5)); // the soak is over: no burst outlives it
                break;
            }
            await Task.WhenAny(Task.Delay(Pause, CancellationToken.None), stopped);
        }
    }

    /// <summary>GET /metrics every second; returns the scrapes made and those that failed.</summary>
    private static async Task<(int Scraped, int Failed)> ScrapeAsync(RoutingFlowServer server, CancellationToken stop)
    {
        var (scraped, failed) = (0, 0);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await server.Http.GetAsync("metrics", CancellationToken.None);
                _ = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                scraped++;
                failed += response.IsSuccessStatusCode ? 0 : 1;
            }
            catch (HttpRequestException)
            {
                failed++;
            }
            try
            {
                await timer.WaitForNextTickAsync(stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return (scraped, failed);
    }

    private static async Task<List<Sample>> SampleAsync(RoutingFlowServer server, string data, CancellationToken stop)
    {
        var samples = new List<Sample>();
        var started = DateTimeOffset.UtcNow;
        while (!stop.IsCancellationRequested)
        {
            var capture = Capture(await server.StatusAsync());
            var proc = await File.ReadAllLinesAsync($"/proc/{server.ProcessId}/status", CancellationToken.None);
            samples.Add(new Sample(DateTimeOffset.UtcNow - started, Field(proc, "VmRSS:") * 1024, Directory.GetFiles($"/proc/{server.ProcessId}/fd").Length,
                (int)Field(proc, "Threads:"), Directory.GetFiles(data, "routingflow.db*").Sum(f => new FileInfo(f).Length),
                capture.GetProperty("packets").GetInt64(), capture.GetProperty("drops").GetInt64()));
            try
            {
                await Task.Delay(SampleEvery, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return samples;
    }

    /// <summary>The last third of the samples against the middle third (the first is the warm-up): the median grew by at most <paramref name="allowed"/> (and <paramref name="slack"/>).</summary>
    private static void Flat(List<Sample> samples, Func<Sample, double> value, string what, double allowed, double slack = 0)
    {
        var third = samples.Count / 3;
        var middle = Median(samples.Skip(third).Take(third).Select(value));
        var last = Median(samples.Skip(2 * third).Select(value));
        Assert.True(last <= middle * (1 + allowed) + slack, $"{what} grew from {middle:0.#} to {last:0.#} after the warm-up");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }

    /// <summary>The figures, a row a minute (what docs/PERFORMANCE.md records for the 30-minute soak).</summary>
    private void Report(List<Sample> samples, int scraped, int failedScrapes, int webhooks, JsonElement capture)
    {
        var text = new StringBuilder("| minute | RSS (MB) | open files | threads | database (MB) | frames counted | drops |\n|---|---|---|---|---|---|---|\n");
        foreach (var s in samples.GroupBy(s => (int)s.At.TotalMinutes).Select(g => g.Last()))
        {
            text.Append(CultureInfo.InvariantCulture, $"| {(int)s.At.TotalMinutes + 1} | {s.RssBytes / 1e6:0.0} | {s.Files} | {s.Threads} | {s.DatabaseBytes / 1e6:0.00} | {s.Packets:N0} | {s.Drops} |\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"\n{scraped} scrapes ({failedScrapes} failed), {webhooks} webhooks received, evictions {capture.GetProperty("evictions").GetInt64():N0}\n");
        output.WriteLine(text.ToString());
        if (Environment.GetEnvironmentVariable("RF_SOAK_REPORT") is { Length: > 0 } path)
            File.WriteAllText(path, text.ToString());
    }

    private static long Field(string[] status, string name) =>
        long.Parse(status.First(l => l.StartsWith(name, StringComparison.Ordinal))[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    private static JsonElement Capture(JsonElement status) => status.GetProperty("captures")[0];

    private static async Task Run(NamespaceLab lab, string command)
    {
        var result = await lab.ExecAsync("router", "sh", "-c", command);
        Assert.True(result.ExitCode == 0, $"{command}: {result.StandardError}");
    }
}
