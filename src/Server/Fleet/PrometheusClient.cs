using System.Buffers;
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
/// Prometheus's HTTP query API (<c>POST /api/v1/query</c>, instant vectors), as Thanos and Mimir answer it too: a
/// bearer token or basic authentication when configured, a timeout per query. Errors come back as
/// <see cref="PrometheusQueryException"/> naming the server and what went wrong, never as a half-read answer.
/// </summary>
public sealed class PrometheusClient(FleetOptions options, IHttpClientFactory http)
{
    public const string HttpClientName = nameof(PrometheusClient);

    /// <summary>The vector <paramref name="query"/> evaluates to now.</summary>
    public Task<IReadOnlyList<PromSample>> QueryAsync(string query, CancellationToken cancellationToken) =>
        FetchAsync(query, (body, status) => Parse(body, status, query), cancellationToken);

    /// <summary>
    /// The vector <paramref name="query"/> evaluates to now, keyed by router label and <c>nic</c> (see
    /// <see cref="KeyedCollector"/>; <paramref name="top"/> above zero keeps each WAN's highest values only).
    /// </summary>
    public Task<List<KeyedSample>> QueryKeyedAsync(string query, string routerLabel, int top, CancellationToken cancellationToken) =>
        FetchAsync(query, (body, status) => ParseKeyed(body, status, query, routerLabel, top), cancellationToken);

    /// <summary>An answer keyed by router and WAN: scanned when it is a plain successful vector, else read with the general reader (errors and all).</summary>
    public static List<KeyedSample> ParseKeyed(ReadOnlySpan<byte> body, int status, string query, string routerLabel, int top)
    {
        var collector = new KeyedCollector(routerLabel, top);
        if (status == 200 && VectorScanner.TryScan(body, collector))
            return collector.Result();
        collector = new KeyedCollector(routerLabel, top); // the scan may have stopped half way: start again
        foreach (var sample in Parse(body, status, query))
            collector.Add(sample);
        return collector.Result();
    }

    private delegate T BodyReader<out T>(ReadOnlySpan<byte> body, int status);

    /// <summary>
    /// Asks the query and reads the whole answer into a pooled buffer (gzip when Prometheus offers it), then parses it:
    /// a large answer costs no new managed memory per check once the pool holds a buffer its size.
    /// </summary>
    private async Task<T> FetchAsync<T>(string query, BodyReader<T> read, CancellationToken cancellationToken)
    {
        var prometheus = options.Prometheus;
        // POST, form-encoded (the query API takes both): a per-IP query naming hundreds of busy routers outgrows a URL.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{prometheus.Url!.TrimEnd('/')}/api/v1/query")
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("query", query)]),
        };
        if (prometheus.BearerToken is { Length: > 0 } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else if (prometheus.Username is { Length: > 0 } user)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{prometheus.Password}")));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(prometheus.Timeout);
        var client = http.CreateClient(HttpClientName);
        byte[]? buffer = null;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            (buffer, var length) = await ReadAllAsync(stream, timeout.Token);
            return read(buffer.AsSpan(0, length), (int)response.StatusCode);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PrometheusQueryException($"Prometheus did not answer within {prometheus.Timeout.TotalSeconds:0.#} s (Fleet:Prometheus:Timeout)");
        }
        catch (HttpRequestException e)
        {
            throw new PrometheusQueryException($"Prometheus is unreachable: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new PrometheusQueryException($"Prometheus's answer broke off: {e.Message}", e);
        }
        finally
        {
            if (buffer is not null)
                ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The largest answer read (a fleet's bare per-IP metric can be that large: ask with <c>topk</c>).</summary>
    public const int MaxAnswerBytes = 1 << 30;

    private static async Task<(byte[] Buffer, int Length)> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var length = 0;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
                if (length == buffer.Length)
                {
                    if (length >= MaxAnswerBytes)
                        throw new PrometheusQueryException($"Prometheus's answer is over {MaxAnswerBytes >> 20} MiB: narrow the query (Fleet:Queries; the per-IP ones with topk)");
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }
            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>
    /// An answer of the query API: the samples of a vector, or the error it states. Read in one pass with
    /// <see cref="Utf8JsonReader"/> (no document built), each label name and value made a string once per answer.
    /// </summary>
    public static IReadOnlyList<PromSample> Parse(ReadOnlySpan<byte> body, int status, string query)
    {
        try
        {
            return new AnswerReader(body, status, query).Read();
        }
        catch (JsonException)
        {
            throw new PrometheusQueryException($"Prometheus answered HTTP {status} with something that is not its query API's JSON ({Preview(body)})");
        }
    }

    /// <summary>One pass over an answer: <c>status</c>, <c>error</c>/<c>errorType</c>, <c>data.resultType</c>, <c>data.result</c>.</summary>
    private ref struct AnswerReader(ReadOnlySpan<byte> body, int status, string query)
    {
        private readonly ReadOnlySpan<byte> _body = body;
        private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
        private Utf8JsonReader _json;
        private string? _status;
        private string? _error;
        private string? _errorType;
        private string? _kind;
        private List<PromSample>? _samples;
        private double? _scalar;

        public List<PromSample> Read()
        {
            _json = new Utf8JsonReader(_body);
            if (!_json.Read() || _json.TokenType != JsonTokenType.StartObject)
                throw new PrometheusQueryException($"Prometheus answered HTTP {status} without a status ({Preview(_body)})");
            while (Next() == JsonTokenType.PropertyName)
            {
                if (_json.ValueTextEquals("status"u8))
                    _status = NextString();
                else if (_json.ValueTextEquals("error"u8))
                    _error = NextString();
                else if (_json.ValueTextEquals("errorType"u8))
                    _errorType = NextString();
                else if (_json.ValueTextEquals("data"u8))
                    Data();
                else
                    Skip();
            }
            if (_status is null)
                throw new PrometheusQueryException($"Prometheus answered HTTP {status} without a status ({Preview(_body)})");
            if (_status != "success")
                throw new PrometheusQueryException($"Prometheus refused '{query}': {_errorType ?? "error"}: {_error ?? "no reason given"}");
            return _kind switch
            {
                null => throw new PrometheusQueryException($"Prometheus's answer to '{query}' has no data.result"),
                "vector" when _samples is not null => _samples,
                "scalar" when _scalar is { } v => [new PromSample(new Dictionary<string, string>(StringComparer.Ordinal), v)],
                "vector" or "scalar" => throw new PrometheusQueryException($"Prometheus's answer to '{query}' has no data.result"),
                var other => throw new PrometheusQueryException($"'{query}' gives a {other}, not an instant vector"),
            };
        }

        private void Data()
        {
            Expect(Next(), JsonTokenType.StartObject);
            while (Next() == JsonTokenType.PropertyName)
            {
                if (_json.ValueTextEquals("resultType"u8))
                    _kind = NextString();
                else if (_json.ValueTextEquals("result"u8))
                    Result();
                else
                    Skip();
            }
        }

        private void Result()
        {
            if (Next() != JsonTokenType.StartArray)
            {
                _json.Skip();
                return;
            }
            if (_kind is not (null or "vector" or "scalar"))
            {
                _json.Skip();
                return;
            }
            if (_kind == "scalar" || (_kind is null && PeekIsScalar()))
            {
                _scalar = Pair();
                return;
            }
            _samples = [];
            while (Next() == JsonTokenType.StartObject)
                _samples.Add(Series());
        }

        /// <summary>A scalar's result is itself [time, "value"]: its first element is a number.</summary>
        private readonly bool PeekIsScalar()
        {
            var copy = _json;
            return copy.Read() && copy.TokenType == JsonTokenType.Number;
        }

        private PromSample Series()
        {
            var labels = new Dictionary<string, string>(6, StringComparer.Ordinal);
            double? value = null;
            while (Next() == JsonTokenType.PropertyName)
            {
                if (_json.ValueTextEquals("metric"u8))
                {
                    Expect(Next(), JsonTokenType.StartObject);
                    while (Next() == JsonTokenType.PropertyName)
                    {
                        var name = Intern();
                        Expect(Next(), JsonTokenType.String);
                        labels[name] = Intern();
                    }
                }
                else if (_json.ValueTextEquals("value"u8))
                {
                    Expect(Next(), JsonTokenType.StartArray);
                    value = Pair();
                }
                else
                {
                    Skip();
                }
            }
            return value is { } v ? new PromSample(labels, v) : throw new PrometheusQueryException($"a series of '{query}' has no value");
        }

        /// <summary>The rest of a [time, "value"] pair whose '[' was read: its value ("NaN", "+Inf" as Prometheus writes them).</summary>
        private double Pair()
        {
            if (Next() != JsonTokenType.Number || Next() != JsonTokenType.String)
                throw new PrometheusQueryException($"a value of '{query}' is not [time, \"number\"]");
            var text = _json.ValueSpan;
            double value;
            if (text.SequenceEqual("+Inf"u8))
                value = double.PositiveInfinity;
            else if (text.SequenceEqual("-Inf"u8))
                value = double.NegativeInfinity;
            else if (!System.Buffers.Text.Utf8Parser.TryParse(text, out value, out var used) || used != text.Length)
            {
                if (!double.TryParse(Encoding.UTF8.GetString(text), NumberStyles.Float, CultureInfo.InvariantCulture, out value)) // NaN, exponents Utf8Parser declines
                    throw new PrometheusQueryException($"a value of '{query}' is not a number: '{Encoding.UTF8.GetString(text)}'");
            }
            if (Next() != JsonTokenType.EndArray)
                throw new PrometheusQueryException($"a value of '{query}' is not [time, \"number\"]");
            return value;
        }

        /// <summary>The current name or string as a string, the same instance for the same text within this answer.</summary>
        private string Intern()
        {
            if (_json.HasValueSequence || _json.ValueIsEscaped || _json.ValueSpan.Length > 256)
                return Cache(_json.GetString()!);
            Span<char> chars = stackalloc char[256];
            var length = Encoding.UTF8.GetChars(_json.ValueSpan, chars);
            var lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
            return lookup.TryGetValue(chars[..length], out var known) ? known : Cache(new string(chars[..length]));
        }

        private string Cache(string text)
        {
            if (_strings.TryGetValue(text, out var known))
                return known;
            _strings[text] = text;
            return text;
        }

        private string? NextString() => Next() == JsonTokenType.String ? _json.GetString() : null;

        private JsonTokenType Next() => _json.Read() ? _json.TokenType : JsonTokenType.None;

        private void Skip()
        {
            _json.Read();
            _json.Skip();
        }

        private readonly void Expect(JsonTokenType got, JsonTokenType wanted)
        {
            if (got != wanted)
                throw new PrometheusQueryException($"Prometheus's answer to '{query}' is not shaped as its query API's (expected {wanted}, found {got})");
        }
    }

    private static string Preview(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 80)]).ReplaceLineEndings(" ");
        return body.Length == 0 ? "an empty body" : $"'{text}{(body.Length > 80 ? "…" : "")}'";
    }
}
