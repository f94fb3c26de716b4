using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Configuration;

namespace RoutingFlow.Server.Storage;

/// <summary><c>RoutingFlow:Storage</c>: the history (per-second samples, rollups, top IPs, incidents, probe results), in SQLite or PostgreSQL.</summary>
public sealed class StorageOptions : IFeatureOptions
{
    public static string Section => "Storage";

    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (a file beside the server, the default) or <c>postgres</c> (<see cref="ConnectionString"/>: one database several fleet servers can share).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>With <c>postgres</c>: an Npgsql connection string, e.g. <c>Host=db;Database=routingflow;Username=routingflow;Password=…</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The database file, relative to the program's directory unless absolute. None: <c>routingflow.db</c> in <c>DataDirectory</c> (<c>data/routingflow.db</c> beside the program).</summary>
    public string? Path { get; set; }

    /// <summary>How often buffered writes are flushed (one transaction each); at most this much is lost to a crash.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long per-second samples are kept.</summary>
    public TimeSpan RawRetention { get; set; } = TimeSpan.FromHours(48);

    /// <summary>How long 1-minute rollups (min/avg/max) are kept.</summary>
    public TimeSpan RollupRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long per-minute bytes of each WAN's busiest IPs are kept.</summary>
    public TimeSpan IpRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How many of each WAN's busiest IPs are kept per minute.</summary>
    public int TopIpsPerMinute { get; set; } = 50;

    /// <summary>How long a write waits for a database another process holds locked before the flush counts as failed.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Writes waiting for the database at most; past it new ones are dropped (counted) until it recovers.</summary>
    public int BufferSize { get; set; } = 200_000;

    public const string FailOnCorrupt = "fail";
    public const string MoveAside = "move-aside";

    /// <summary>
    /// A SQLite file that is damaged or not RoutingFlow's: <c>fail</c> (storage stays failing with the file named and
    /// the fix; everything else runs) or <c>move-aside</c> (the file kept as <c>NAME.corrupt-TIME</c>, a new one created).
    /// </summary>
    public string OnCorrupt { get; set; } = FailOnCorrupt;

    public void Validate(RoutingFlowOptions core, List<string> errors)
    {
        if (Provider is not (Sqlite or Postgres))
            errors.Add($"{RoutingFlowOptions.Section}:Storage:Provider '{Provider}' is not sqlite or postgres");
        if (OnCorrupt is not (FailOnCorrupt or MoveAside))
            errors.Add($"{RoutingFlowOptions.Section}:Storage:OnCorrupt '{OnCorrupt}' is not fail or move-aside");
        if (Provider == Postgres)
            CheckConnectionString(errors);
        if (Path is { } path && path.Trim().Length == 0)
            errors.Add($"{RoutingFlowOptions.Section}:Storage:Path is empty (leave it out for routingflow.db in DataDirectory)");
        ConfigChecks.Span(errors, "Storage:FlushInterval", FlushInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        ConfigChecks.Span(errors, "Storage:RawRetention", RawRetention, TimeSpan.FromMinutes(1), TimeSpan.FromDays(3650));
        ConfigChecks.Span(errors, "Storage:RollupRetention", RollupRetention, TimeSpan.FromMinutes(1), TimeSpan.FromDays(3650));
        ConfigChecks.Span(errors, "Storage:IpRetention", IpRetention, TimeSpan.FromMinutes(1), TimeSpan.FromDays(3650));
        ConfigChecks.Span(errors, "Storage:BusyTimeout", BusyTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        ConfigChecks.Range(errors, "Storage:TopIpsPerMinute", TopIpsPerMinute, 1, 10_000, "");
        ConfigChecks.Range(errors, "Storage:BufferSize", BufferSize, 1_000, 10_000_000, "items");
    }

    private void CheckConnectionString(List<string> errors)
    {
        var key = $"{RoutingFlowOptions.Section}:Storage:ConnectionString";
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add($"{key} is required with Storage:Provider postgres (e.g. Host=db;Database=routingflow;Username=routingflow;Password=…)");
            return;
        }
        try
        {
            var parsed = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
            if (string.IsNullOrWhiteSpace(parsed.Host))
                errors.Add($"{key} names no Host");
        }
        catch (ArgumentException e)
        {
            errors.Add($"{key} is not a valid PostgreSQL connection string: {e.Message.Split('(')[0].Trim()}"); // never the string itself: it may hold a password
        }
    }

    /// <summary>Where the history is, for /status and the log: the file, or the server and database (never the password).</summary>
    public string Describe(RoutingFlowOptions core, string contentRoot)
    {
        if (Provider != Postgres)
            return DatabasePath(core, contentRoot);
        var parsed = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        return $"postgres://{parsed.Host}:{parsed.Port}/{parsed.Database ?? parsed.Username}";
    }

    /// <summary>The database file: <see cref="Path"/>, or <c>routingflow.db</c> in the data directory; relative to <paramref name="contentRoot"/>.</summary>
    public string DatabasePath(RoutingFlowOptions core, string contentRoot) =>
        System.IO.Path.GetFullPath(Path ?? System.IO.Path.Combine(core.DataDirectory, "routingflow.db"), contentRoot);
}
