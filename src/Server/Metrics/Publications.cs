namespace RoutingFlow.Server.Metrics;

/// <summary>
/// Counts the publications of what the metrics read — a capture's counters, the traffic snapshot, a probe result or
/// a correction factor, the monitor's tick — so that <see cref="MetricsExposition"/> rebuilds exactly when one
/// happened. Process-wide (the capture threads have no container): a second host in the same process only causes
/// an extra build, never a stale one.
/// </summary>
public static class Publications
{
    private static long _count;

    public static long Count => Volatile.Read(ref _count);

    public static void Note() => Interlocked.Increment(ref _count);
}
