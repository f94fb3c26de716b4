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
            if (provider.File is { } sqlite)
                await CheckFileAsync(db, sqlite, cancellationToken);
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
    /// A SQLite file that is damaged (SQLite: not a database, malformed) or another program's (tables, but not
    /// RoutingFlow's migration history): with <c>Storage:OnCorrupt=move-aside</c> it is renamed
    /// <c>NAME.corrupt-TIME</c> (its -wal and -shm too) and a new one is created; otherwise
    /// <see cref="StorageCorruptException"/> names the file and both fixes, and storage stays failing while the rest runs.
    /// </summary>
    private async Task CheckFileAsync(RoutingFlowDb db, string file, CancellationToken cancellationToken)
    {
        if (!System.IO.File.Exists(file) || new FileInfo(file).Length == 0)
            return;
        var problem = await ProblemAsync(db, cancellationToken);
        if (problem is null)
            return;
        if (provider.OnCorrupt != StorageOptions.MoveAside)
            throw new StorageCorruptException($"{file} {problem}: move it away (RoutingFlow cannot use it), or set RoutingFlow:Storage:OnCorrupt=move-aside to have it kept aside and a new one created");
        provider.ClearPools();
        var aside = $"{file}.corrupt-{time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}";
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (System.IO.File.Exists(file + suffix))
                System.IO.File.Move(file + suffix, aside + suffix);
        }
        LogMovedAside(logger, file, problem, aside);
    }

    /// <summary>
    /// Why a SQLite file cannot be RoutingFlow's, or null when it can: its header and schema are read (what a damaged
    /// or foreign file fails on at once; a full integrity check would read the whole history at every start).
    /// </summary>
    private static async Task<string?> ProblemAsync(RoutingFlowDb db, CancellationToken cancellationToken)
    {
        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            var tables = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                    tables.Add(reader.GetString(0));
            }
            return tables.Count > 0 && !tables.Contains("__EFMigrationsHistory")
                ? $"is another program's database (tables {string.Join(", ", tables.Take(5))}), not RoutingFlow's"
                : null;
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode is 26 or 11) // SQLITE_NOTADB, SQLITE_CORRUPT
        {
            return $"is not a usable SQLite database ({(e.SqliteErrorCode == 26 ? "file is not a database" : "database disk image is malformed")})";
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
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

    [LoggerMessage(EventId = 1405, Level = LogLevel.Warning, Message = "Storage: {Path} {Problem}: kept aside as {Aside} (Storage:OnCorrupt=move-aside); a new database is created")]
    private static partial void LogMovedAside(ILogger logger, string path, string problem, string aside);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Storage: {Path} was deleted while the server ran; created it again (the history before is gone)")]
    private static partial void LogRecreated(ILogger logger, string path);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "Storage: the correction factor moved from {File} into the database")]
    private static partial void LogMigrated(ILogger logger, string file);
}

/// <summary>The SQLite file is damaged or another program's: the message names it and the two fixes.</summary>
public sealed class StorageCorruptException(string message) : InvalidOperationException(message);
