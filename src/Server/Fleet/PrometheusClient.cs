using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace RoutingFlow.Server.Fleet;

/// <summary>One series of an instant query's answer: its labels and its value.</summary>
public sealed record PromSample(IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>A query Prometheus refused or could not answer, or an answer that is not its query API's: the message says which.</summary>
public sealed class PrometheusQueryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Prometheus's HTTP query API (<c>GET /api/v1/query</c>, instant vectors), as Thanos and Mimir answer it too: a
/// bearer token or basic authentication when configured, a timeout per query. Errors come back as
/// <see cref="PrometheusQueryException"/> naming the server and what went wrong, never as a half-read answer.
/// </summary>
public sealed class PrometheusClient(FleetOptions options, IHttpClientFactory http)
{
    public const string HttpClientName = nameof(PrometheusClient);

    /// <summary>The vector <paramref name="query"/> evaluates to now.</summary>
    public async Task<IReadOnlyList<PromSample>> QueryAsync(string query, CancellationToken cancellationToken)
    {
        var prometheus = options.Prometheus;
        var url = $"{prometheus.Url!.TrimEnd('/')}/api/v1/query?query={Uri.EscapeDataString(query)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (prometheus.BearerToken is { Length: > 0 } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else if (prometheus.Username is { Length: > 0 } user)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{prometheus.Password}")));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(prometheus.Timeout);
        var client = http.CreateClient(HttpClientName);
        try
        {
            using var response = await client.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            return Parse(body, (int)response.StatusCode, query);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PrometheusQueryException($"Prometheus did not answer within {prometheus.Timeout.TotalSeconds:0.#} s (Fleet:Prometheus:Timeout)");
        }
        catch (HttpRequestException e)
        {
            throw new PrometheusQueryException($"Prometheus is unreachable: {e.Message}", e);
        }
    }

    /// <summary>An answer of the query API: the samples of a vector, or the error it states.</summary>
    public static IReadOnlyList<PromSample> Parse(ReadOnlySpan<byte> body, int status, string query)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException)
        {
            throw new PrometheusQueryException($"Prometheus answered HTTP {status} with something that is not its query API's JSON ({Preview(body)})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var state))
                throw new PrometheusQueryException($"Prometheus answered HTTP {status} without a status ({Preview(body)})");
            if (state.GetString() != "success")
            {
                var error = root.TryGetProperty("error", out var e) ? e.GetString() : "no reason given";
                var type = root.TryGetProperty("errorType", out var t) ? t.GetString() : "error";
                throw new PrometheusQueryException($"Prometheus refused '{query}': {type}: {error}");
            }
            if (!root.TryGetProperty("data", out var data) || !data.TryGetProperty("resultType", out var kind) || !data.TryGetProperty("result", out var result))
                throw new PrometheusQueryException($"Prometheus's answer to '{query}' has no data.result");
            return kind.GetString() switch
            {
                "vector" => Vector(result, query),
                "scalar" => [new PromSample(new Dictionary<string, string>(), Value(result, query))],
                var other => throw new PrometheusQueryException($"'{query}' gives a {other}, not an instant vector"),
            };
        }
    }

    private static List<PromSample> Vector(JsonElement result, string query)
    {
        var samples = new List<PromSample>(result.GetArrayLength());
        foreach (var series in result.EnumerateArray())
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (series.TryGetProperty("metric", out var metric))
            {
                foreach (var label in metric.EnumerateObject())
                    labels[label.Name] = label.Value.GetString() ?? "";
            }
            if (!series.TryGetProperty("value", out var value))
                throw new PrometheusQueryException($"a series of '{query}' has no value");
            samples.Add(new PromSample(labels, Value(value, query)));
        }
        return samples;
    }

    /// <summary>A [timestamp, "value"] pair's value ("NaN", "+Inf" as Prometheus writes them).</summary>
    private static double Value(JsonElement pair, string query)
    {
        if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 || pair[1].ValueKind != JsonValueKind.String)
            throw new PrometheusQueryException($"a value of '{query}' is not [time, \"number\"]");
        var text = pair[1].GetString()!;
        return text switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
                : throw new PrometheusQueryException($"a value of '{query}' is not a number: '{text}'"),
        };
    }

    private static string Preview(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 80)]).ReplaceLineEndings(" ");
        return body.Length == 0 ? "an empty body" : $"'{text}{(body.Length > 80 ? "…" : "")}'";
    }
}
