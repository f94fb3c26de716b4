using Prometheus;

namespace RoutingFlow.Server.Storage;

/// <summary>The database writer's health, refreshed before each scrape.</summary>
public sealed class StorageMetrics(IMetricFactory factory)
{
    private readonly Gauge _up = factory.CreateGauge("routingflow_storage_up", "1 while the last flush to the database succeeded, 0 while writes fail (they are kept and retried).");
    private readonly Counter _errors = factory.CreateCounter("routingflow_storage_errors_total", "Failed flushes to the database.");
    private readonly Counter _written = factory.CreateCounter("routingflow_storage_written_total", "Rows and updates written to the database.");
    private readonly Counter _dropped = factory.CreateCounter("routingflow_storage_dropped_total", "Writes dropped because the buffer was full while the database failed.");
    private readonly Gauge _pending = factory.CreateGauge("routingflow_storage_pending", "Writes waiting for the next flush.");
    private readonly Gauge _lastFlush = factory.CreateGauge("routingflow_storage_last_flush_timestamp_seconds", "Unix time of the last successful flush (0: none yet).");

    public void Update(StorageStatus status)
    {
        _up.Set(status.Healthy ? 1 : 0);
        _errors.IncTo(status.Errors);
        _written.IncTo(status.Written);
        _dropped.IncTo(status.Dropped);
        _pending.Set(status.Pending);
        _lastFlush.Set(status.LastFlush?.ToUnixTimeMilliseconds() / 1000.0 ?? 0);
    }
}
