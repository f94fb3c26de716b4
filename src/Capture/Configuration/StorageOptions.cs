namespace RoutingFlow.Capture.Configuration;

/// <summary><c>RoutingFlow:Storage</c>: the SQLite history (per-second samples, rollups, top IPs, incidents, probe results).</summary>
public sealed class StorageOptions
{
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
}
