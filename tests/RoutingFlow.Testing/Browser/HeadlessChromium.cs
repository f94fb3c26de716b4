using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoutingFlow.Testing.Processes;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Testing.Browser;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol (one page): navigate, evaluate JavaScript,
/// wait for a condition. Started with no background networking and every host name unresolvable, so it only
/// reaches the addresses a test names. Disposing it kills the browser and deletes its profile.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";
    private readonly BackgroundProcess _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private int _nextId;

    private HeadlessChromium(BackgroundProcess process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <param name="hosts">The addresses the page may reach (host-resolver rules map every other name, IP literals included, to "not found").</param>
    public static async Task<HeadlessChromium> StartAsync(params string[] hosts)
    {
        var rules = string.Join("", hosts.Select(h => $", EXCLUDE {h}"));
        var profile = Directory.CreateTempSubdirectory("rf-chromium-").FullName;
        var process = BackgroundProcess.Start(Executable,
        [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
            $"--host-resolver-rules=MAP * ~NOTFOUND{rules}", $"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank",
        ]);
        var browser = new HeadlessChromium(process, profile);
        try
        {
            await browser.ConnectAsync();
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> and waits until the document has loaded.</summary>
    public async Task NavigateAsync(string url)
    {
        await CommandAsync("Page.navigate", new JsonObject { ["url"] = url });
        await WaitForAsync("document.readyState === 'complete' && location.href !== 'about:blank'", TimeSpan.FromSeconds(30), $"{url} to load");
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page (promises awaited) and returns its value as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await CommandAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result?["exceptionDetails"] is { } exception)
            throw new InvalidOperationException($"JavaScript failed: {exception.ToJsonString()}");
        return result?["result"]?["value"];
    }

    /// <summary>Waits until <paramref name="condition"/> (JavaScript) is true; on timeout the error shows the page.</summary>
    public async Task WaitForAsync(string condition, TimeSpan timeout, string what)
    {
        try
        {
            await Eventually.WaitAsync(async () => (await EvaluateAsync($"!!({condition})"))?.GetValue<bool>() == true, timeout, what);
        }
        catch (TimeoutException e)
        {
            var page = await EvaluateAsync("location.href + '\\n' + document.body.innerText.slice(0, 3000)");
            throw new TimeoutException($"{e.Message}; the page: {page}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await _process.DisposeAsync();
        _send.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // a crash dump still being written; the temp directory is cleaned by the system
        }
    }

    private async Task ConnectAsync()
    {
        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        await Eventually.WaitAsync(() => Task.FromResult(_process.HasExited
                ? throw new InvalidOperationException($"{Executable} exited: {_process.Output}")
                : File.Exists(portFile) && File.ReadAllLines(portFile).Length >= 2),
            TimeSpan.FromSeconds(30), "Chromium's DevTools port");
        var port = File.ReadAllLines(portFile)[0].Trim();
        using var http = new HttpClient();
        var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
        var page = targets.First(t => t!["type"]!.GetValue<string>() == "page")!["webSocketDebuggerUrl"]!.GetValue<string>();
        await _socket.ConnectAsync(new Uri(page), CancellationToken.None);
    }

    private async Task<JsonNode?> CommandAsync(string method, JsonObject parameters)
    {
        await _send.WaitAsync();
        try
        {
            var id = ++_nextId;
            var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                var reply = await ReceiveAsync(timeout.Token);
                if (reply?["id"]?.GetValue<int>() != id)
                    continue; // an event, or the answer to a command that timed out
                if (reply["error"] is { } error)
                    throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
                return reply["result"];
            }
        }
        finally
        {
            _send.Release();
        }
    }

    private async Task<JsonNode?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonNode.Parse(message.ToArray());
    }
}
