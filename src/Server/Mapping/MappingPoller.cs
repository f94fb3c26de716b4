using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Server.Mapping;

/// <summary>
/// Polls <c>RoutingFlow:Mapping:Url</c> and swaps the IP→WAN mapping when it changes. On any failure (refused,
/// timeout, HTTP error, bad JSON, bad IP, unknown NIC) the last good mapping stays, the error is shown in
/// /status and /metrics, it is logged once per change of state, and polling backs off exponentially up to 60 s.
/// </summary>
public sealed partial class MappingPoller(
    MappingOptions options,
    RouterLayout layout,
    NicMapHolder holder,
    MappingOverrides overrides,
    IHttpClientFactory httpClients,
    TimeProvider time,
    ILogger<MappingPoller> logger) : BackgroundService
{
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);
    private readonly MappingOptions _options = options;
    private readonly string _shownUrl = Security.Secrets.Url(options.Url) ?? "";
    private volatile MappingStatus _status = new(options.Url is null ? "static" : "static (url not yet polled)",
        Security.Secrets.Url(options.Url), options.Url is null, null, null, null, 0, 0, TimeSpan.Zero);

    public MappingStatus Status => _status;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Url is null)
            return;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var delay = await PollOnceAsync(stoppingToken);
                await Task.Delay(delay, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One poll; returns how long to wait before the next.</summary>
    public async Task<TimeSpan> PollOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var error = await FetchAsync(cancellationToken);
        var previous = _status;
        if (error is null)
        {
            if (!previous.Healthy || previous.LastSuccess is null)
                LogHealthy(logger, _shownUrl, holder.Current.Entries.Count);
            _status = previous with { Source = "url", Healthy = true, LastError = null, LastSuccess = now, LastAttempt = now, Failures = 0, NextPollIn = _options.PollInterval };
            return _options.PollInterval;
        }
        var failures = previous.Healthy ? 1 : previous.Failures + 1;
        var backoff = Backoff(failures);
        if (previous.Healthy || previous.LastError != error)
            LogFailing(logger, _shownUrl, error, backoff);
        _status = previous with { Healthy = false, LastError = error, LastAttempt = now, Failures = failures, TotalFailures = previous.TotalFailures + 1, NextPollIn = backoff };
        return backoff;
    }

    private TimeSpan Backoff(long failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 16));
        var delay = TimeSpan.FromMilliseconds(_options.PollInterval.TotalMilliseconds * factor);
        return delay < MaxBackoff ? delay : MaxBackoff;
    }

    private async Task<string?> FetchAsync(CancellationToken cancellationToken)
    {
        string body;
        try
        {
            using var client = httpClients.CreateClient(nameof(MappingPoller));
            client.Timeout = _options.Timeout;
            using var response = await client.GetAsync(new Uri(_options.Url!), cancellationToken);
            if (!response.IsSuccessStatusCode)
                return $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"timed out after {_options.Timeout.TotalSeconds:0.#} s";
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return e.Message; // refused, DNS, bad charset…: any failure keeps the last good mapping
        }
        if (!MappingDocument.TryParse(body, holder.Current.Nics.ToList(), out var entries, out var parseError))
            return parseError;
        Apply(entries);
        return null;
    }

    /// <summary>The static rules and the URL's, with the operator's overrides laid over them.</summary>
    private void Apply(List<MappingEntry> urlEntries) => overrides.UseBase([.. layout.StaticMap.Entries.Concat(urlEntries)]);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mapping from {Url} in effect ({Rules} rules)")]
    private static partial void LogHealthy(ILogger logger, string url, int rules);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mapping from {Url} failed: {Error}; keeping the last good mapping, next try in {Backoff}")]
    private static partial void LogFailing(ILogger logger, string url, string error, TimeSpan backoff);
}
