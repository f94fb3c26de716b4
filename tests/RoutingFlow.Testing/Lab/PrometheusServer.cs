using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using RoutingFlow.Testing.Processes;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Testing.Lab;

/// <summary>A real Prometheus server (Debian's package) on loopback, scraping one target every second.</summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly BackgroundProcess _process;
    private readonly string _dir;
    private readonly HttpClient _http;

    private PrometheusServer(BackgroundProcess process, string dir, int port)
    {
        Port = port;
        _process = process;
        _dir = dir;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    public static Task<PrometheusServer> StartAsync(string target) => StartAsync([target]);

    /// <summary>
    /// Scrapes every target each second, as instances of one job; on <paramref name="port"/> when given (a restart on
    /// the same address); sending <paramref name="bearer"/> as <c>authorization: {credentials: …}</c> when given.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyList<string> targets, int? port = null, string? bearer = null)
    {
        var dir = Directory.CreateTempSubdirectory("rf-prometheus-").FullName;
        var config = Path.Combine(dir, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 900ms
            scrape_configs:
              - job_name: routingflow
            {(bearer is null ? "" : $"    authorization: {{credentials: '{bearer}'}}\n")}    static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]
            """);
        port ??= FreePort();
        var process = BackgroundProcess.Start("prometheus", [$"--config.file={config}", $"--storage.tsdb.path={dir}/data",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"]);
        var server = new PrometheusServer(process, dir, port.Value);
        await Eventually.WaitAsync(async () => (await server._http.GetAsync("-/ready")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60), "Prometheus to be ready: " + process.Output);
        return server;
    }

    /// <summary>The port it listens on (loopback).</summary>
    public int Port { get; }

    /// <summary>Instant query; returns each series' labels and value.</summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        var json = await _http.GetStringAsync($"api/v1/query?query={Uri.EscapeDataString(promql)}");
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(r => (
                r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
                double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>Whether the last scrape of the target succeeded (<c>up == 1</c>).</summary>
    public async Task<bool> TargetUpAsync() => (await QueryAsync("up")).Any(r => r.Value == 1);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
