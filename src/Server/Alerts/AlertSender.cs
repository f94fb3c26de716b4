using System.Net.Http.Json;
using System.Text.Json;
using RoutingFlow.Server.Hosting;
using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Server.Alerts;

/// <summary>
/// Posts an alert to every webhook when an incident starts (or reopens) and when it ends. The monitor only queues
/// (never blocked); each webhook has its own queue, delivered in order, an undelivered alert retried with back-off
/// (1 s doubling to 60 s) for <c>RetryFor</c>, then given up, logged and counted. Webhooks are named by their
/// index in logs and metrics: their URLs often carry a secret. Each queued delivery is announced
/// (<see cref="Queued"/>, <see cref="Finished"/>) so that storage keeps it: after a crash or a restart
/// <see cref="Restore"/> puts the undelivered back, in order, still counting <c>RetryFor</c> from their first attempt.
/// </summary>
public sealed partial class AlertSender : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);
    private readonly AlertOptions _options;
    private readonly IHttpClientFactory _http;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertSender> _logger;
    private readonly Queue<Delivery>[] _queues;
    private readonly Wake _wake;
    private readonly Lock _lock = new();
    private readonly List<string> _finishedOutsideLock = []; // keys dropped under the lock, announced after it
    private long _sent;
    private long _failures;
    private long _givenUp;
    private string? _lastError;

    public AlertSender(AlertOptions options, MonitorState monitor, IHttpClientFactory http, TimeProvider time, ILogger<AlertSender> logger, Fleet.FleetState? fleet = null)
    {
        (_options, _http, _time, _logger) = (options, http, time, logger);
        _wake = new Wake(time);
        _queues = _options.Webhooks.Select(_ => new Queue<Delivery>()).ToArray();
        if (_queues.Length > 0)
        {
            monitor.IncidentChanged += OnIncident;
            if (fleet is not null)
                fleet.IncidentChanged += OnIncident; // the watched routers' incidents, each naming its router
        }
    }

    public AlertStatus Status
    {
        get
        {
            lock (_lock)
                return new AlertStatus(_queues.Length, _queues.Sum(q => q.Count), Interlocked.Read(ref _sent), Interlocked.Read(ref _failures), Interlocked.Read(ref _givenUp), _lastError);
        }
    }

    /// <summary>Queues the alert of an incident change for every webhook (opened, reopened: started; closed: ended).</summary>
    public void OnIncident(IncidentChange change, Incident incident)
    {
        if (change is not (IncidentChange.Opened or IncidentChange.Reopened or IncidentChange.Closed))
            return;
        Enqueue(AlertPayload.From(incident));
    }

    /// <summary>Queues <paramref name="payload"/> for every webhook (a full queue gives up its oldest, counted).</summary>
    public void Enqueue(AlertPayload payload)
    {
        if (_queues.Length == 0)
            return;
        var now = _time.GetUtcNow();
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, JsonSerializerOptions.Web);
        var pending = new List<PendingAlert>(_queues.Length);
        lock (_lock)
        {
            for (var i = 0; i < _queues.Length; i++)
            {
                var alert = new PendingAlert(Guid.NewGuid().ToString("N"), i, UrlTag(i), body, payload.Event, payload.IncidentId, now);
                Add(i, new Delivery(alert, now, 0));
                pending.Add(alert);
            }
        }
        foreach (var alert in pending)
            Queued?.Invoke(alert);
        AnnounceDropped();
        _wake.Set();
    }

    /// <summary>A delivery queued (storage keeps it until <see cref="Finished"/>).</summary>
    public event Action<PendingAlert>? Queued;

    /// <summary>A delivery sent, given up, or dropped from a full queue (its key).</summary>
    public event Action<string>? Finished;

    /// <summary>
    /// Deliveries a previous run left undelivered, oldest first: queued again for their webhook, unless the webhook is
    /// gone or its URL changed (dropped, logged). Their first attempt stays theirs: <c>RetryFor</c> runs from it.
    /// </summary>
    public void Restore(IReadOnlyList<PendingAlert> pending)
    {
        var now = _time.GetUtcNow();
        var dropped = new List<string>();
        var restored = 0;
        lock (_lock)
        {
            foreach (var alert in pending)
            {
                if (alert.Webhook >= _queues.Length || alert.UrlTag != UrlTag(alert.Webhook))
                {
                    dropped.Add(alert.Key);
                    continue;
                }
                Add(alert.Webhook, new Delivery(alert, now, 0));
                restored++;
            }
        }
        foreach (var key in dropped)
            Finished?.Invoke(key);
        AnnounceDropped();
        if (restored + dropped.Count > 0)
            LogRestored(_logger, restored, dropped.Count);
        _wake.Set();
    }

    /// <summary>A webhook's URL as a short digest: a delivery kept for it is not sent to another URL after a change of configuration.</summary>
    public string UrlTag(int webhook) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(_options.Webhooks[webhook])))[..16];

    private void Add(int webhook, Delivery delivery)
    {
        if (_queues[webhook].Count >= _options.MaxPending && _queues[webhook].TryDequeue(out var oldest))
        {
            Interlocked.Increment(ref _givenUp);
            _finishedOutsideLock.Add(oldest.Alert.Key);
        }
        _queues[webhook].Enqueue(delivery);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_queues.Length == 0)
            return;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var next = await DeliverDueAsync(stoppingToken);
                await _wake.SleepAsync(next, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Tries the head of every webhook's queue that is due; returns how long until the next is.</summary>
    public async Task<TimeSpan> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var wait = TimeSpan.FromMinutes(1);
        for (var i = 0; i < _queues.Length; i++)
        {
            while (Head(i) is { } delivery)
            {
                var now = _time.GetUtcNow();
                if (delivery.NextAttempt > now)
                {
                    wait = Min(wait, delivery.NextAttempt - now);
                    break;
                }
                await TryAsync(i, delivery, cancellationToken); // failed: it is back at the head, due later
            }
        }
        return wait;
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private async Task TryAsync(int webhook, Delivery delivery, CancellationToken cancellationToken)
    {
        var error = await PostAsync(webhook, delivery.Alert.Body, cancellationToken);
        if (Settle(webhook, delivery, error) is { } finished)
            Finished?.Invoke(finished);
        AnnounceDropped();
    }

    /// <summary>Announces the deliveries a full queue gave up (collected under the lock, announced outside it).</summary>
    private void AnnounceDropped()
    {
        string[] dropped;
        lock (_lock)
        {
            if (_finishedOutsideLock.Count == 0)
                return;
            dropped = [.. _finishedOutsideLock];
            _finishedOutsideLock.Clear();
        }
        foreach (var key in dropped)
            Finished?.Invoke(key);
    }

    /// <summary>The attempt's outcome in the queue; the key of a delivery that is done with (sent or given up), else null.</summary>
    private string? Settle(int webhook, Delivery delivery, string? error)
    {
        var now = _time.GetUtcNow();
        var alert = delivery.Alert;
        lock (_lock)
        {
            if (!_queues[webhook].TryPeek(out var head) || !ReferenceEquals(head, delivery))
                return null; // dropped meanwhile from a full queue
            if (error is null)
            {
                _queues[webhook].Dequeue();
                Interlocked.Increment(ref _sent);
                return alert.Key;
            }
            Interlocked.Increment(ref _failures);
            _lastError = $"webhook {webhook}: {error}";
            if (now - alert.FirstAttempt >= _options.RetryFor)
            {
                _queues[webhook].Dequeue();
                Interlocked.Increment(ref _givenUp);
                LogGivenUp(_logger, webhook, alert.Event, alert.IncidentId, _options.RetryFor, error);
                return alert.Key;
            }
            var backoff = Min(TimeSpan.FromSeconds(Math.Pow(2, Math.Min(delivery.Attempts, 10))), MaxBackoff);
            _queues[webhook].Dequeue();
            var retry = delivery with { Attempts = delivery.Attempts + 1, NextAttempt = now + backoff };
            Requeue(webhook, retry);
            if (delivery.Attempts == 0)
                LogFailing(_logger, webhook, alert.Event, alert.IncidentId, error, backoff);
            return null;
        }
    }

    /// <summary>Puts a retried delivery back at the head of its queue (order is kept: the close never overtakes the open).</summary>
    private void Requeue(int webhook, Delivery delivery)
    {
        var rest = _queues[webhook].ToArray();
        _queues[webhook].Clear();
        _queues[webhook].Enqueue(delivery);
        foreach (var d in rest)
            _queues[webhook].Enqueue(d);
    }

    private async Task<string?> PostAsync(int webhook, byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            using var client = _http.CreateClient(nameof(AlertSender));
            client.Timeout = _options.Timeout;
            // Serialised when queued: sent with Content-Length, not chunked, which many simple receivers and gateways cannot read.
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var response = await client.PostAsync(_options.Webhooks[webhook], content, cancellationToken);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {_options.Timeout.TotalSeconds:0.#} s";
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }

    private Delivery? Head(int webhook)
    {
        lock (_lock)
            return _queues[webhook].TryPeek(out var head) ? head : null;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private sealed record Delivery(PendingAlert Alert, DateTimeOffset NextAttempt, int Attempts);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "Alerts: {Restored} undelivered webhook deliveries from the previous run queued again ({Dropped} dropped: their webhook is gone or its URL changed)")]
    private static partial void LogRestored(ILogger logger, int restored, int dropped);

    [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "Alert {Event} {Id} to webhook {Webhook} failed: {Error}; retrying in {Backoff}")]
    private static partial void LogFailing(ILogger logger, int webhook, string @event, long id, string error, TimeSpan backoff);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Error, Message = "Alert {Event} {Id} to webhook {Webhook} given up after {RetryFor}: {Error}")]
    private static partial void LogGivenUp(ILogger logger, int webhook, string @event, long id, TimeSpan retryFor, string error);
}

/// <summary>The webhooks' state for /status and the metrics.</summary>
public sealed record AlertStatus(int Webhooks, int Pending, long Sent, long Failures, long GivenUp, string? LastError);

/// <summary>
/// One webhook delivery, as storage keeps it until it is sent or given up: its key, the webhook's index and URL digest,
/// the JSON body exactly as it is posted, what it is (for logs) and when it was first due.
/// </summary>
public sealed record PendingAlert(string Key, int Webhook, string UrlTag, byte[] Body, string Event, long IncidentId, DateTimeOffset FirstAttempt);
