using System.Globalization;
using System.Text.Json;
using RoutingFlow.Capture.Units;

namespace RoutingFlow.Server.Cli;

/// <summary>
/// <c>routingflow check [--url URL]</c>: a one-shot report like the original monitor's run, read from the running
/// server's /status (default: the local one, the first of <c>Urls</c>): per WAN its capacity, actual rx/tx, over
/// or under, and the top IPs when over. Exit codes: 0 no WAN overloaded, 1 one is, 2 the server cannot be reached
/// (or answers something that is not its /status), 3 usage error.
/// </summary>
public static class CheckCommand
{
    public const string Usage = "usage: routingflow check [--url http://127.0.0.1:8080]";

    public static async Task<int> RunAsync(string[] args, string? configuredUrls, TextWriter stdout, TextWriter stderr)
    {
        if (!TryParse(args, configuredUrls, out var url, out var error))
        {
            await stderr.WriteLineAsync($"routingflow check: {error}\n{Usage}");
            return 3;
        }
        JsonElement status;
        try
        {
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
            using var doc = JsonDocument.Parse(await http.GetStringAsync("status"));
            status = doc.RootElement.Clone();
            if (!status.TryGetProperty("nics", out _))
                throw new JsonException("no \"nics\" in the answer");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or UriFormatException)
        {
            await stderr.WriteLineAsync($"routingflow check: cannot read {url}status: {e.Message} (is the server running? --url names another)");
            return 2;
        }
        var overloaded = false;
        foreach (var nic in status.GetProperty("nics").EnumerateArray())
            overloaded |= await ReportAsync(nic, stdout);
        return overloaded ? 1 : 0;
    }

    private static async Task<bool> ReportAsync(JsonElement nic, TextWriter stdout)
    {
        var state = nic.GetProperty("state").GetString();
        var utilization = Number(nic, "utilization") is { } u ? (u * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "unknown";
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{nic.GetProperty("name").GetString()}: capacity rx {Rate(nic, "rxCapacityBps")} tx {Rate(nic, "txCapacityBps")}, actual rx {Rate(nic, "actualRxBps")} tx {Rate(nic, "actualTxBps")}, utilization {utilization} ({nic.GetProperty("compare").GetString() ?? "-"}): {(state switch { "overloaded" => "OVER", "full" => "full", "ok" => "under", _ => "unknown" })}"));
        if (state != "overloaded")
            return false;
        var over = nic.TryGetProperty("overDirection", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
        if (over is not null)
            await stdout.WriteLineAsync($"  over: {over}");
        foreach (var direction in over == "tx" ? new[] { "Tx", "Rx" } : ["Rx", "Tx"]) // the direction that is over first
        {
            var top = nic.GetProperty("top" + direction).EnumerateArray().Select(ip => $"{ip.GetProperty("ip").GetString()} {BitRate.Format(ip.GetProperty("bps").GetDouble())}");
            await stdout.WriteLineAsync($"  top {direction.ToLowerInvariant()}: {string.Join(", ", top)}");
        }
        if (nic.TryGetProperty("incident", out var incident) && incident.ValueKind == JsonValueKind.Object
            && incident.TryGetProperty("diagnosis", out var d) && d.ValueKind == JsonValueKind.Object)
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  cause: {d.GetProperty("cause").GetString()} ({d.GetProperty("confidence").GetDouble() * 100:0}%): {d.GetProperty("text").GetString()}"));
        }
        return true;
    }

    private static string Rate(JsonElement nic, string name) => Number(nic, name) is { } bps ? BitRate.Format(bps) : "unknown";

    private static double? Number(JsonElement nic, string name) =>
        nic.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static bool TryParse(string[] args, string? configuredUrls, out Uri url, out string? error)
    {
        var text = Local(configuredUrls);
        error = null;
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--url" && i + 1 < args.Length)
                text = args[++i];
            else
                error = $"unexpected argument '{args[i]}'";
        }
        url = null!;
        if (error is not null)
            return false;
        if (!Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            error = $"--url '{text}' is not an absolute http(s) URL";
            return false;
        }
        url = parsed;
        return true;
    }

    /// <summary>The first of the configured Urls, with a wildcard host made loopback.</summary>
    private static string Local(string? urls)
    {
        var first = (urls ?? "http://127.0.0.1:8080").Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "http://127.0.0.1:8080";
        return first.Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://[::1]", StringComparison.Ordinal);
    }
}
