using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoutingFlow.Server.Tests.Infrastructure;

namespace RoutingFlow.Server.Tests.Hosting;

/// <summary>
/// The real server's OpenAPI document walked with hostile input: for every parameter and body field of every
/// operation, wrong types, empty, huge (4 KB and 1 MB), negative, out-of-range, unicode, injection-shaped values and
/// malformed JSON bodies. Every answer must be one the document lists (or a Kestrel limit's 413/414/431), never a
/// 5xx or a stack trace; a 400 names its field; a value the schema rules out is never accepted; the server stays up,
/// logs no failure, and its state (correction factor, devices, overrides, incidents) is what it was.
/// </summary>
public sealed class HostileInputTests
{
    private const string Nics = """{"wan0":"wan0","wan1":"wan1"}""";
    private static readonly int[] KestrelLimits = [413, 414, 431];
    private const string Placeholder = "@@hostile@@";
    private const string Sentinel = "\"" + Placeholder + "\"";

    /// <summary>Values the walk puts in the other parameters, and in the one under test's place when it is required.</summary>
    private static readonly Dictionary<string, string> Known = new()
    {
        ["nic"] = "wan0", ["q"] = "10", ["id"] = "1", ["deviceId"] = "1", ["ip"] = "10.0.0.1",
    };

    /// <summary>The contract's own words for a field in the original tools' texts.</summary>
    private static readonly Dictionary<string, string[]> Aliases = new()
    {
        ["value"] = ["correction factor"], ["deviceId"] = ["device_id"],
    };

    /// <summary>A valid body per operation; each field in turn is replaced by a hostile value.</summary>
    private static readonly Dictionary<string, string> BaseBodies = new()
    {
        ["/traffic_count_attach_device"] = """{"iface":"rfnone0","action":"remove"}""",
        ["/api/advice/apply"] = """{"moves":[{"target":"10.9.9.9","to":"wan0"}]}""",
    };

    [Fact]
    public async Task EveryParameterAndBodyField_HostileValues_GetADocumented4xxNamingTheField_AndChangeNothing()
    {
        await using var server = await RoutingFlowServer.StartAsync(Nics, []);
        using var document = JsonDocument.Parse(await server.Http.GetStringAsync("openapi/v1.json"));
        var operations = ApiOperation.All(document.RootElement);
        using (var apply = await server.Http.PostAsync("api/advice/apply", Json(BaseBodies["/api/advice/apply"])))
            Assert.Equal(HttpStatusCode.OK, apply.StatusCode); // so that applying the base body again changes nothing
        var before = await StateAsync(server.Http);

        var requests = operations.SelectMany(Walk).ToList();
        Assert.True(requests.Count > 10_000, $"{requests.Count} requests");
        var failures = new ConcurrentQueue<string>();
        using var http = new HttpClient { BaseAddress = server.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, ct) =>
        {
            if (await JudgeAsync(http, request, ct) is { } failure)
                failures.Enqueue(failure);
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} of {requests.Count} answers wrong:\n" + string.Join("\n", failures.Take(40)));
        Assert.Equal("ok", await server.Http.GetStringAsync("healthz"));
        Assert.Equal(before, await StateAsync(server.Http));
        // No failure logged but the captures' (this test's WANs have no interfaces): nothing the requests did.
        Assert.DoesNotContain(server.Output.Split('\n'), l => l.StartsWith("fail:", StringComparison.Ordinal) && !l.Contains("Capture.CaptureSession", StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", server.Output, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A request of the walk: what it sends, the field it tests, and whether the schema already rules the value out.</summary>
    private sealed record Hostile(ApiOperation Operation, string Url, string? Body, string Field, string[] Names, bool Invalid, string Shown);

    private static IEnumerable<Hostile> Walk(ApiOperation op)
    {
        foreach (var p in op.Parameters)
        {
            foreach (var value in HostileValues.Query)
            {
                if (p.In == "path" && (value.Text.Length > 4096 || value.Text.Length == 0))
                    continue; // an empty segment names the collection (another route); a 1 MB path is the request-line limit's test
                var names = Names(p.Name);
                var invalid = p.Rejects(value.Text);
                yield return new(op, Url(op, p, value, full: false, repeat: false), Body(op), p.Name, names, invalid, value.ToString());
                if (p.In != "query")
                    continue;
                yield return new(op, Url(op, p, value, full: true, repeat: false), Body(op), p.Name, names, invalid, value + " (with the others set)");
                yield return new(op, Url(op, p, value, full: false, repeat: true), Body(op), p.Name, names, p.Rejects(value.Text + "," + value.Text), value + " (twice)");
            }
        }
        if (op.Body is null)
            yield break;
        var url = Url(op, null, null, full: false, repeat: false);
        foreach (var field in op.Body)
        {
            var template = Template(BaseBodies[op.Path], field.Path);
            foreach (var json in HostileValues.Json)
            {
                var kind = JsonKind(json);
                var invalid = kind is not null && kind != "null" && field.Type is not null && kind != field.Type && !(field.Type == "number" && kind == "integer");
                yield return new(op, url, template.Replace(Sentinel, json, StringComparison.Ordinal), field.Path, [field.Name], invalid,
                    json.Length > 40 ? json[..40] + "…" : json);
            }
        }
        foreach (var body in HostileValues.MalformedBodies)
            yield return new(op, url, body, "body", ["JSON", "body", .. op.Body.Select(f => f.Name)], true, body.Length > 40 ? body[..40] + "…" : body);
    }

    private static string[] Names(string name) => [name, .. Aliases.GetValueOrDefault(name) ?? []];

    private static string Url(ApiOperation op, ApiParameter? tested, HostileValue? value, bool full, bool repeat)
    {
        var path = op.Path;
        foreach (var p in op.Parameters.Where(p => p.In == "path"))
            path = path.Replace("{" + p.Name + "}", p == tested ? value!.Encoded : Known[p.Name], StringComparison.Ordinal);
        var query = new List<string>();
        foreach (var p in op.Parameters.Where(p => p.In == "query"))
        {
            if (p == tested)
                query.AddRange(Enumerable.Repeat($"{p.Name}={value!.Encoded}", repeat ? 2 : 1));
            else if (p.Required && Known.TryGetValue(p.Name, out var known))
                query.Add($"{p.Name}={known}");
            else if (full && p.Valid is { } valid)
                query.Add($"{p.Name}={valid}");
        }
        return path.TrimStart('/') + (query.Count > 0 ? "?" + string.Join('&', query) : "");
    }

    private static string? Body(ApiOperation op) => op.Body is null ? null : BaseBodies[op.Path];

    /// <summary>The base body with the field at <paramref name="path"/> (<c>moves[0].to</c>) replaced by a placeholder string.</summary>
    private static string Template(string body, string path)
    {
        var root = JsonNode.Parse(body)!;
        JsonNode parent = root;
        var parts = path.Split('.');
        foreach (var part in parts[..^1])
            parent = part.EndsWith("[0]", StringComparison.Ordinal) ? parent[part[..^3]]![0]! : parent[part]!;
        parent[parts[^1]] = Placeholder;
        return root.ToJsonString();
    }

    /// <summary>The JSON kind of a text as a schema names it (null when it is not one JSON value).</summary>
    private static string? JsonKind(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 1000 });
            return doc.RootElement.ValueKind switch
            {
                JsonValueKind.String => "string",
                JsonValueKind.Number => doc.RootElement.TryGetInt64(out _) ? "integer" : "number",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                JsonValueKind.Array => "array",
                JsonValueKind.Object => "object",
                _ => "null",
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<string?> JudgeAsync(HttpClient http, Hostile r, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(new HttpMethod(r.Operation.Method), r.Url);
        if (r.Body is not null)
            message.Content = Json(r.Body);
        int status;
        string text;
        bool closed;
        try
        {
            using var response = await http.SendAsync(message, ct);
            status = (int)response.StatusCode;
            text = await response.Content.ReadAsStringAsync(ct);
            closed = response.Headers.ConnectionClose == true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"{r.Operation} {r.Field}={r.Shown}: no answer ({e.Message})";
        }
        var what = $"{r.Operation} {r.Field}={r.Shown}: {status}";
        if (status >= 500)
            return $"{what} {Cut(text)}";
        if (text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal) || text.Contains(".cs:line", StringComparison.Ordinal))
            return $"{what} shows a stack trace or an exception: {Cut(text)}";
        if (KestrelLimits.Contains(status))
            return null; // refused by the server's limits before any endpoint (ServerLimitsTests checks their texts)
        if (status == 400 && text.Length == 0 && closed)
            return null; // a request line Kestrel does not parse (a NUL or line break in the path): refused before any endpoint
        if (!r.Operation.Statuses.Contains(status))
            return $"{what} is not an answer the document lists ({string.Join(", ", r.Operation.Statuses)}): {Cut(text)}";
        if (status == 400 && !r.Names.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase)))
            return $"{what} does not name the field: {Cut(text)}";
        if (status >= 400 && text.Length == 0)
            return $"{what} has no message";
        if (status < 400 && r.Invalid)
            return $"{what} accepted a value its schema rules out";
        return null;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Cut(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>The state a hostile request must not change.</summary>
    private static async Task<string> StateAsync(HttpClient http)
    {
        var factor = await http.GetStringAsync("tcpflow");
        var devices = await http.GetStringAsync("api/devices");
        using var overrides = JsonDocument.Parse(await http.GetStringAsync("api/advice/overrides"));
        var kept = string.Join(",", overrides.RootElement.GetProperty("overrides").EnumerateArray()
            .Select(o => $"{o.GetProperty("target").GetString()}>{o.GetProperty("nic").GetString()}").Order(StringComparer.Ordinal));
        using var incidents = JsonDocument.Parse(await http.GetStringAsync("api/incidents"));
        return $"{factor} | {devices} | {kept} | {incidents.RootElement.GetProperty("incidents").GetArrayLength()} incidents";
    }
}
