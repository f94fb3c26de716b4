using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Processes;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Server.Tests.Infrastructure;

/// <summary>
/// The real <c>routingflow</c> server in its own process (optionally inside a lab namespace, or through a wrapper
/// such as <c>runuser</c>), with a temp nic.json; disposed = killed.
/// </summary>
public sealed class RoutingFlowServer : IAsyncDisposable
{
    private readonly BackgroundProcess _process;
    private readonly string _dir;

    private RoutingFlowServer(BackgroundProcess process, string dir, Uri baseAddress)
    {
        _process = process;
        _dir = dir;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public HttpClient Http { get; }

    public string Output => _process.Output;

    /// <summary>The server's process id (the program itself when it was started without a wrapper).</summary>
    public int ProcessId => _process.Id;

    /// <param name="nicJson">Contents of nic.json.</param>
    /// <param name="wrapper">Command prefix, e.g. <c>ip netns exec NS</c>.</param>
    public static async Task<RoutingFlowServer> StartAsync(string nicJson, IEnumerable<string> settings,
        string listen = "127.0.0.1", IEnumerable<string>? wrapper = null, NamespaceLab? lab = null)
    {
        var dir = Directory.CreateTempSubdirectory("rf-server-").FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0x1ED); // 0755: readable by a less privileged server user
        var nicFile = Path.Combine(dir, "nic.json");
        await File.WriteAllTextAsync(nicFile, nicJson);
        var port = PrometheusServer.FreePort();
        // Each server its own data directory (correction factor, database) unless the test names one.
        // A lab server listens beyond loopback and is driven from the host: reads are public there and state changes
        // not rate-limited (tests attach and detach by the hundred) unless the test says otherwise.
        string[] labDefaults = listen == "127.0.0.1" ? [] :
        [
            .. settings.Any(s => s.Contains("Security:PublicReads", StringComparison.Ordinal)) ? Array.Empty<string>() : ["--RoutingFlow:Security:PublicReads=true"],
            .. settings.Any(s => s.Contains("Security:StateChangesPerMinute", StringComparison.Ordinal)) ? Array.Empty<string>() : ["--RoutingFlow:Security:StateChangesPerMinute=100000"],
        ];
        string[] command = ["dotnet", RoutingFlowProcess.Assembly, $"--urls=http://{listen}:{port}", $"--RoutingFlow:NicFile={nicFile}",
            $"--RoutingFlow:DataDirectory={Path.Combine(dir, "data")}", .. labDefaults, .. settings];
        string[] wrapped = [.. wrapper ?? [], .. command];
        var process = lab is not null ? lab.Start("router", wrapped) : BackgroundProcess.Start(wrapped[0], wrapped.Skip(1));
        var server = new RoutingFlowServer(process, dir, new Uri($"http://{listen}:{port}/"));
        await Eventually.WaitAsync(async () => process.HasExited
                ? throw new InvalidOperationException("the server exited: " + process.Output)
                : (await server.Http.GetAsync("healthz")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60), "the server to answer /healthz");
        return server;
    }

    /// <summary>Runs the server expecting it to refuse to start; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string nicJson, IEnumerable<string> settings)
    {
        var dir = Directory.CreateTempSubdirectory("rf-server-").FullName;
        try
        {
            var nicFile = Path.Combine(dir, "nic.json");
            await File.WriteAllTextAsync(nicFile, nicJson);
            var result = await RoutingFlowProcess.RunAsync(["--urls=http://127.0.0.1:0", $"--RoutingFlow:NicFile={nicFile}", $"--RoutingFlow:DataDirectory={Path.Combine(dir, "data")}", .. settings]);
            return (result.ExitCode, result.StandardError + result.StandardOutput);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public async Task<JsonElement> StatusAsync()
    {
        using var doc = JsonDocument.Parse(await Http.GetStringAsync("status"));
        return doc.RootElement.Clone();
    }

    public Task<string> MetricsAsync() => Http.GetStringAsync("metrics");

    /// <summary>The value of one series in Prometheus text, e.g. <c>Value(text, "network_ip_rx_bps", "nic=\"wan0\",ip=\"10.0.0.1\"")</c>.</summary>
    public static double? Value(string metrics, string name, string labels)
    {
        var series = labels.Length == 0 ? Regex.Escape(name) : $"{Regex.Escape(name)}\\{{{Regex.Escape(labels)}\\}}";
        var match = Regex.Match(metrics, $"^{series} (\\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Kills the server with SIGKILL (no shutdown, no last flush), as a crash or the OOM killer would.</summary>
    public async Task KillAsync() => await _process.DisposeAsync();

    /// <summary>A graceful stop (SIGTERM): the host's services stop as on a service manager's stop.</summary>
    public Task StopAsync() => _process.TerminateAsync(TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
        if (Directory.Exists(_dir)) // disposing twice (a test that stops the server early) is harmless
            Directory.Delete(_dir, recursive: true);
    }
}
