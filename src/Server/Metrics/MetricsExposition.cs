using System.IO.Compression;
using Prometheus;

namespace RoutingFlow.Server.Metrics;

/// <summary>
/// What <c>/metrics</c> serves, built once per publication and then served from a buffer: a build brings every
/// <see cref="IMetricsSource"/> up to date and serializes the registry once; every scrape until the next publication
/// (<see cref="Publications"/>: a capture's, the traffic snapshot's, a probe's, the monitor's), and at most
/// <see cref="MaxAge"/>, gets the same bytes (gzip-compressed once, for the scrapers that ask for it). So what a
/// scrape reads is never older than what <c>/status</c> shows, and a busy scraper costs one build per publication,
/// not one per scrape. One build at a time;
/// scrapes that arrive during a build wait for it rather than starting their own. A source that throws is logged
/// and skipped, so one feature's fault never takes the exposition down.
/// </summary>
public sealed partial class MetricsExposition(CollectorRegistry registry, ReadableMetricFactory factory, IEnumerable<IMetricsSource> sources,
    TimeProvider time, ILogger<MetricsExposition> logger, Func<long>? publications = null) : IDisposable
{
    private readonly Func<long> _publications = publications ?? (() => Publications.Count);
    /// <summary>How long one build is served at most when nothing publishes (the runtime's own metrics move anyway).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly IMetricsSource[] _sources = [.. sources];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _failing = [];
    private readonly Counter _builds = factory.CreateCounter(BuildsName,
        "How many times /metrics was built (each build serves every scrape until the next publication).");
    private (long Publication, long At) _updated = (-1, 0);
    private volatile Exposition? _text;
    private volatile Exposition? _openMetrics;

    public const string BuildsName = "routingflow_metrics_builds_total";

    /// <summary>How many times the exposition was built (<see cref="BuildsName"/>).</summary>
    public long Builds => (long)_builds.Value;

    public async ValueTask<Exposition> GetAsync(ExpositionFormat format, CancellationToken cancellationToken)
    {
        if (Fresh(Cached(format)) is { } cached)
            return cached;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(Cached(format)) is { } built)
                return built; // another scrape built it while this one waited
            var publication = _publications();
            UpdateSources(publication);
            _builds.Inc();
            using var stream = new MemoryStream(64 * 1024);
            await registry.CollectAndExportAsTextAsync(stream, format, cancellationToken);
            var exposition = new Exposition(stream.ToArray(), publication, time.GetTimestamp());
            if (format == ExpositionFormat.OpenMetricsText)
                _openMetrics = exposition;
            else
                _text = exposition;
            return exposition;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>The Prometheus text format as a string.</summary>
    public async Task<string> TextAsync(CancellationToken cancellationToken = default) =>
        System.Text.Encoding.UTF8.GetString((await GetAsync(ExpositionFormat.PrometheusText, cancellationToken)).Body);

    /// <summary>
    /// Reads the counters and gauges as the next scrape would show them: the sources are brought up to date first
    /// (once per publication, shared with the scrapes) and nothing updates or removes a series while
    /// <paramref name="read"/> runs. No serialization, no parsing.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<MetricValues, T> read, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            UpdateSources(_publications());
            return read(factory.Values);
        }
        finally
        {
            _gate.Release();
        }
    }

    private Exposition? Cached(ExpositionFormat format) => format == ExpositionFormat.OpenMetricsText ? _openMetrics : _text;

    private Exposition? Fresh(Exposition? exposition) =>
        exposition is not null && exposition.Publication == _publications() && time.GetElapsedTime(exposition.BuiltAt) < MaxAge ? exposition : null;

    // Both formats built for one publication share one update of the sources.
    private void UpdateSources(long publication)
    {
        if (_updated.Publication == publication && time.GetElapsedTime(_updated.At) < MaxAge)
            return;
        foreach (var source in _sources)
        {
            try
            {
                source.Update();
                if (_failing.Remove(source.Name))
                    LogRecovered(logger, source.Name);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (_failing.Add(source.Name))
                    LogFailed(logger, e, source.Name);
            }
        }
        _updated = (publication, time.GetTimestamp());
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Updating the {Source} metrics failed; /metrics serves their last values")]
    private static partial void LogFailed(ILogger logger, Exception e, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Source} metrics update again")]
    private static partial void LogRecovered(ILogger logger, string source);
}

/// <summary>One build of the exposition: its bytes, the publication and time it was built at, its gzip form made on first demand.</summary>
public sealed class Exposition(byte[] body, long publication, long builtAt)
{
    private readonly Lazy<byte[]> _gzip = new(() => Compress(body), LazyThreadSafetyMode.ExecutionAndPublication);

    public byte[] Body { get; } = body;

    public long Publication { get; } = publication;

    public long BuiltAt { get; } = builtAt;

    public byte[] Gzip => _gzip.Value;

    private static byte[] Compress(byte[] body)
    {
        using var output = new MemoryStream(body.Length / 4);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(body);
        return output.ToArray();
    }
}
