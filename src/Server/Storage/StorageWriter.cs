using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Storage.Entities;

namespace RoutingFlow.Server.Storage;

/// <summary>
/// The only writer of the database. Everything to store goes through a bounded buffer (<see cref="Enqueue"/>,
/// which never blocks; a full buffer drops and counts) and is written every <c>FlushInterval</c> in one
/// transaction. A failing database (locked, full, read-only, deleted under the server) never stops the
/// callers: the batch is kept and retried with back-off, and the state shows in /status and the metrics; a deleted
/// file is created again. Old rows are removed every hour.
/// </summary>
public sealed partial class StorageWriter : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RetentionEvery = TimeSpan.FromHours(1);
    private readonly Channel<StorageItem> _buffer;
    private readonly IDbContextFactory<RoutingFlowDb> _factory;
    private readonly StorageOptions _options;
    private readonly StorageSchema _schema;
    private readonly TimeProvider _time;
    private readonly ILogger<StorageWriter> _logger;
    private readonly List<StorageItem> _batch = [];
    private long _written;
    private long _dropped;
    private long _errors;
    private volatile StorageStatus _status;
    private DateTimeOffset _nextAttempt;
    private DateTimeOffset _nextRetention;
    private int _consecutiveFailures;

    public StorageWriter(IDbContextFactory<RoutingFlowDb> factory, StorageOptions options, StorageSchema schema, TimeProvider time, ILogger<StorageWriter> logger)
    {
        (_factory, _options, _schema, _time, _logger) = (factory, options, schema, time, logger);
        _buffer = Channel.CreateBounded<StorageItem>(new BoundedChannelOptions(options.BufferSize) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _status = new StorageStatus(schema.Path, "starting", null, null, 0, 0, 0, 0);
    }

    public StorageStatus Status => _status with { Pending = _batch.Count + _buffer.Reader.Count, Written = Interlocked.Read(ref _written), Dropped = Interlocked.Read(ref _dropped), Errors = Interlocked.Read(ref _errors) };

    /// <summary>Queues an item for the next flush; false (and counted) when the buffer is full.</summary>
    public bool Enqueue(StorageItem item)
    {
        if (_buffer.Writer.TryWrite(item))
            return true;
        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>
    /// Writes a setting at once (a user's change must survive a crash a moment later); when the database fails it
    /// is queued for the next flush and the error is returned.
    /// </summary>
    public async Task<string?> SaveNowAsync(SettingItem setting, CancellationToken cancellationToken = default)
    {
        try
        {
            await _schema.EnsureAsync(cancellationToken);
            await using var db = await _factory.CreateDbContextAsync(cancellationToken);
            await AddAsync(db, setting, [], cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or DbUpdateException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Enqueue(setting);
            return $"saved in memory; writing {_schema.Path} failed ({e.GetBaseException().Message}), retried with the next flush";
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.FlushInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await FlushAsync(CancellationToken.None); // what is buffered at shutdown
    }

    /// <summary>Writes what is buffered, unless a previous failure's back-off has not elapsed; returns the rows written.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now < _nextAttempt)
            return 0;
        if (_batch.Count == 0)
        {
            while (_batch.Count < 100_000 && _buffer.Reader.TryRead(out var item))
                _batch.Add(item);
        }
        try
        {
            await _schema.EnsureAsync(cancellationToken);
            await _schema.TopUpIdsAsync(cancellationToken);
            var count = _batch.Count > 0 ? await WriteAsync(cancellationToken) : 0;
            await RetentionAsync(now, cancellationToken);
            OnSuccess(now, count);
            return count;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or DbUpdateException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            OnFailure(now, e);
            return 0;
        }
    }

    private async Task<int> WriteAsync(CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var incidents = new Dictionary<long, IncidentRow>();
        foreach (var item in _batch)
            await AddAsync(db, item, incidents, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return _batch.Count;
    }

    private static async Task AddAsync(RoutingFlowDb db, StorageItem item, Dictionary<long, IncidentRow> incidents, CancellationToken cancellationToken)
    {
        switch (item)
        {
            case SampleItem s:
                db.WanSamples.Add(s.Row);
                break;
            case ProbeItem p:
                db.ProbeResults.Add(p.Row);
                break;
            case EventItem e:
                db.Events.Add(e.Row);
                break;
            case RollupItem r:
                await db.WanRollups.Where(x => x.Router == r.Row.Router && x.Nic == r.Row.Nic && x.Minute == r.Row.Minute).ExecuteDeleteAsync(cancellationToken);
                db.WanRollups.Add(r.Row);
                break;
            case IpMinutesItem m:
                await db.IpMinutes.Where(x => x.Router == m.Router && x.Nic == m.Nic && x.Minute == m.Minute).ExecuteDeleteAsync(cancellationToken);
                db.IpMinutes.AddRange(m.Rows);
                break;
            case IncidentItem i:
                if (!incidents.TryGetValue(i.Incident.Id, out var row))
                {
                    row = await db.Incidents.FindAsync([i.Incident.Id], cancellationToken);
                    incidents[i.Incident.Id] = row ??= new IncidentRow();
                    IncidentRows.Fill(row, i.Incident);
                    if (db.Entry(row).State == EntityState.Detached)
                        db.Incidents.Add(row); // keyed by its id, so filled first
                    break;
                }
                IncidentRows.Fill(row, i.Incident);
                break;
            case PendingAlertItem a:
                db.PendingAlerts.Add(a.Row);
                break;
            case PendingAlertDoneItem done:
                if (db.ChangeTracker.Entries<PendingAlertRow>().FirstOrDefault(e => e.Entity.Key == done.Key) is { } queued)
                    queued.State = EntityState.Detached; // queued and done within one flush: never written
                else
                    await db.PendingAlerts.Where(x => x.Key == done.Key).ExecuteDeleteAsync(cancellationToken);
                break;
            case SettingItem setting:
                var existing = await db.Settings.FindAsync([setting.Key], cancellationToken);
                if (existing is null)
                    db.Settings.Add(new SettingRow { Key = setting.Key, Value = setting.Value, Updated = setting.Updated });
                else
                    (existing.Value, existing.Updated) = (setting.Value, setting.Updated);
                break;
        }
    }

    private async Task RetentionAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (now < _nextRetention)
            return;
        _nextRetention = now + RetentionEvery;
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var raw = (now - _options.RawRetention).ToUnixTimeMilliseconds();
        var rollup = (now - _options.RollupRetention).ToUnixTimeMilliseconds();
        var ips = (now - _options.IpRetention).ToUnixTimeMilliseconds();
        await db.WanSamples.Where(s => s.Time < raw).ExecuteDeleteAsync(cancellationToken);
        await db.ProbeResults.Where(s => s.Time < rollup).ExecuteDeleteAsync(cancellationToken);
        await db.Events.Where(s => s.Time < rollup).ExecuteDeleteAsync(cancellationToken);
        await db.WanRollups.Where(s => s.Minute < rollup).ExecuteDeleteAsync(cancellationToken);
        await db.IpMinutes.Where(s => s.Minute < ips).ExecuteDeleteAsync(cancellationToken);
    }

    private void OnSuccess(DateTimeOffset now, int count)
    {
        _batch.Clear();
        Interlocked.Add(ref _written, count);
        if (_status.State != "ok" && _status.State != "starting")
            LogRecovered(_logger, _schema.Path);
        _consecutiveFailures = 0;
        _nextAttempt = now;
        _status = _status with { State = "ok", LastError = null, LastFlush = count > 0 || _status.LastFlush is null ? now : _status.LastFlush };
    }

    private void OnFailure(DateTimeOffset now, Exception e)
    {
        _schema.ClearPools(); // a connection opened read-only, onto a full disk or to a server that went away is not reused after the fault is fixed
        _schema.Forget(e);
        Interlocked.Increment(ref _errors);
        _consecutiveFailures++;
        var backoff = _options.FlushInterval * Math.Pow(2, Math.Min(_consecutiveFailures - 1, 10));
        backoff = backoff < MaxBackoff ? backoff : MaxBackoff;
        _nextAttempt = now + backoff;
        var error = $"writing {_schema.Path} failed: {e.GetBaseException().Message}{DiskFull()}";
        if (_status.LastError != error)
            LogFailing(_logger, error, _batch.Count, backoff);
        _status = _status with { State = "failing", LastError = error };
    }

    /// <summary>SQLite reports a full disk as "disk is full" or, writing its WAL index, as a plain I/O error: say which it is.</summary>
    private string DiskFull()
    {
        if (_schema.File is null)
            return ""; // PostgreSQL says so itself
        try
        {
            var free = new DriveInfo(Path.GetDirectoryName(Path.GetFullPath(_schema.Path))!).AvailableFreeSpace;
            return free < 256 * 1024 ? $" (the file system holding it is full: {free:N0} bytes free)" : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return "";
        }
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "Storage: {Error}; {Pending} writes kept for the next try in {Backoff}; detection goes on")]
    private static partial void LogFailing(ILogger logger, string error, int pending, TimeSpan backoff);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Storage: writing {Path} again")]
    private static partial void LogRecovered(ILogger logger, string path);
}
