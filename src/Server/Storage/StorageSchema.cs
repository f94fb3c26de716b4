using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Probing;

namespace RoutingFlow.Server.Storage;

/// <summary>
/// Opens the database: creates its directory, applies the migrations, seeds the incident ids and the correction
/// factor (moving the probe's state file into the database, once). Checked before every flush: a file deleted
/// under the server is created again rather than written into a deleted inode.
/// </summary>
public sealed partial class StorageSchema(IDbContextFactory<RoutingFlowDb> factory, StorageProvider provider, IncidentIds ids,
    CorrectionFactorStore correction, TimeProvider time, ILogger<StorageSchema> logger) : IDisposable
{
    public const string CorrectionFactorKey = "correction_factor";
    private readonly SemaphoreSlim _lock = new(1, 1);
    private bool _ready;

    /// <summary>Where the history is: the SQLite file, or the PostgreSQL server and database (no password).</summary>
    public string Path => provider.Where;

    /// <summary>The SQLite file; null with PostgreSQL.</summary>
    public string? File => provider.File;

    /// <summary>Drops pooled connections (after a fault, so that none is reused).</summary>
    public void ClearPools() => provider.ClearPools();

    /// <summary>True once the schema is in place (queries may run).</summary>
    public bool Ready => _ready;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_ready && (provider.File is not { } path || System.IO.File.Exists(path)))
            return;
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (provider.File is { } file)
            {
                if (_ready && !System.IO.File.Exists(file))
                {
                    LogRecreated(logger, file);
                    provider.ClearPools();
                }
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(file))!);
            }
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            ids.Seed(await db.Incidents.MaxAsync(i => (long?)i.Id, cancellationToken) ?? 0);
            if (db is PostgresRoutingFlowDb && !_ready)
                await TakeIdBlockAsync(db, cancellationToken); // a shared database: ids from the sequence only
            await SeedCorrectionAsync(db, cancellationToken);
            _ready = true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// The database lost its tables (a PostgreSQL recreated or restored from an older backup while the server ran):
    /// the next flush applies the migrations again, as a deleted SQLite file is created again.
    /// </summary>
    public void Forget(Exception fault)
    {
        if (fault.GetBaseException() is Npgsql.PostgresException { SqlState: "42P01" }) // undefined_table
            _ready = false;
    }

    /// <summary>On PostgreSQL, keeps a block of incident ids in reserve (the writer calls this with each flush).</summary>
    public async Task TopUpIdsAsync(CancellationToken cancellationToken)
    {
        if (provider.File is not null || !_ready || !ids.WantsBlock)
            return;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await TakeIdBlockAsync(db, cancellationToken);
    }

    private async Task TakeIdBlockAsync(RoutingFlowDb db, CancellationToken cancellationToken)
    {
        var start = await db.Database.SqlQueryRaw<long>($"SELECT nextval('{PostgresRoutingFlowDb.IdBlocks}') AS \"Value\"").SingleAsync(cancellationToken);
        ids.AddBlock(start, PostgresRoutingFlowDb.IdBlock);
    }

    /// <summary>The database's factor applies; without one, the state file's (or the configured) factor moves into it.</summary>
    private async Task SeedCorrectionAsync(RoutingFlowDb db, CancellationToken cancellationToken)
    {
        var stored = await db.Settings.FindAsync([CorrectionFactorKey], cancellationToken);
        if (stored is not null && double.TryParse(stored.Value, CultureInfo.InvariantCulture, out var factor))
        {
            correction.UseDatabase(factor, IncidentRows.Time(stored.Updated));
            return;
        }
        var now = time.GetUtcNow();
        var fromFile = correction.Source == "state file";
        db.Settings.Add(new Entities.SettingRow { Key = CorrectionFactorKey, Value = correction.Current.ToString("R", CultureInfo.InvariantCulture), Updated = (correction.Updated ?? now).ToUnixTimeMilliseconds() });
        await db.SaveChangesAsync(cancellationToken);
        correction.UseDatabase(correction.Current, correction.Updated ?? now);
        if (fromFile && correction.RetireStateFile() is { } retired)
            LogMigrated(logger, retired);
    }

    public void Dispose() => _lock.Dispose();

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Storage: {Path} was deleted while the server ran; created it again (the history before is gone)")]
    private static partial void LogRecreated(ILogger logger, string path);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "Storage: the correction factor moved from {File} into the database")]
    private static partial void LogMigrated(ILogger logger, string file);
}
