namespace RoutingFlow.Server.Monitoring;

/// <summary>Incident ids, increasing; storage seeds it with the highest id it holds so ids stay unique across restarts.</summary>
public sealed class IncidentIds
{
    private long _last;

    public void Seed(long highest) => InterlockedMax(highest);

    public long Next() => Interlocked.Increment(ref _last);

    private void InterlockedMax(long value)
    {
        long current;
        while ((current = Interlocked.Read(ref _last)) < value && Interlocked.CompareExchange(ref _last, value, current) != current)
        {
        }
    }
}
