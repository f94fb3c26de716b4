using System.Text;
using Microsoft.EntityFrameworkCore;
using RoutingFlow.Server.Alerts;
using RoutingFlow.Server.Storage.Entities;

namespace RoutingFlow.Server.Storage;

/// <summary>
/// Keeps the webhooks' undelivered alerts in the database: each queued delivery is written (within
/// <c>Storage:FlushInterval</c>) and removed once sent or given up; at start the previous run's are handed back to
/// the sender, oldest first. A crash loses at most the deliveries queued in the last flush interval.
/// </summary>
public sealed partial class AlertRecorder(StorageWriter writer, StorageSchema schema, IDbContextFactory<RoutingFlowDb> factory, AlertSender sender,
    ILogger<AlertRecorder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        sender.Queued += OnQueued;
        sender.Finished += OnFinished;
        try
        {
            await schema.EnsureAsync(cancellationToken);
            sender.Restore(await PendingAsync(cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotRestored(logger, e.GetBaseException().Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        sender.Queued -= OnQueued;
        sender.Finished -= OnFinished;
        return Task.CompletedTask;
    }

    /// <summary>The kept deliveries, oldest first.</summary>
    public async Task<List<PendingAlert>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.PendingAlerts.AsNoTracking().OrderBy(a => a.FirstAttempt).ThenBy(a => a.Key).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => new PendingAlert(r.Key, r.Webhook, r.UrlTag, Encoding.UTF8.GetBytes(r.Body), r.Event, r.IncidentId,
            DateTimeOffset.FromUnixTimeMilliseconds(r.FirstAttempt)));
    }

    private void OnQueued(PendingAlert alert) => writer.Enqueue(new PendingAlertItem(new PendingAlertRow
    {
        Key = alert.Key,
        Webhook = alert.Webhook,
        UrlTag = alert.UrlTag,
        Body = Encoding.UTF8.GetString(alert.Body),
        Event = alert.Event,
        IncidentId = alert.IncidentId,
        FirstAttempt = alert.FirstAttempt.ToUnixTimeMilliseconds(),
    }));

    private void OnFinished(string key) => writer.Enqueue(new PendingAlertDoneItem(key));

    [LoggerMessage(EventId = 1406, Level = LogLevel.Warning, Message = "Storage: the previous run's undelivered webhook alerts could not be read ({Error}); they stay in the database")]
    private static partial void LogNotRestored(ILogger logger, string error);
}
