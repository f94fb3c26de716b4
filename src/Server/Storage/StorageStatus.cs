namespace RoutingFlow.Server.Storage;

/// <summary>How the database is doing, for /status and the metrics. <see cref="State"/>: starting, ok, failing, failed (could not open).</summary>
public sealed record StorageStatus(
    string Path,
    string State,
    string? LastError,
    DateTimeOffset? LastFlush,
    int Pending,
    long Written,
    long Dropped,
    long Errors)
{
    public bool Healthy => State == "ok";
}
