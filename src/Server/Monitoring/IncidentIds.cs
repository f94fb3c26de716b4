namespace RoutingFlow.Server.Monitoring;

/// <summary>
/// Incident ids, increasing. Alone on its database (SQLite), storage seeds it with the highest id it holds so ids stay
/// unique across restarts. On a database several servers share (PostgreSQL), storage hands it blocks of ids from a
/// sequence (<see cref="AddBlock"/>) and keeps one block in reserve (<see cref="WantsBlock"/>): ids then come only from
/// blocks, so no two servers number alike. Should a block run out before the next one arrives (over a block's worth of
/// incidents between two flushes), it counts on past the block's end.
/// </summary>
public sealed class IncidentIds
{
    private readonly Lock _gate = new();
    private readonly Queue<long> _reserve = new();
    private long _last;
    private long _next;
    private long _end;
    private int _blockSize;

    public void Seed(long highest) => InterlockedMax(highest);

    /// <summary>True while blocks are in use and none is in reserve: storage should fetch one.</summary>
    public bool WantsBlock
    {
        get
        {
            lock (_gate)
                return _blockSize > 0 && _reserve.Count == 0;
        }
    }

    /// <summary>Ids <paramref name="start"/> to <paramref name="start"/> + <paramref name="size"/> − 1 are this server's; the first block is used at once, later ones kept in reserve.</summary>
    public void AddBlock(long start, int size)
    {
        lock (_gate)
        {
            if (_blockSize == 0)
            {
                (_next, _end, _blockSize) = (start, start + size, size);
                return;
            }
            _reserve.Enqueue(start);
        }
    }

    public long Next()
    {
        lock (_gate)
        {
            if (_blockSize == 0)
                return Interlocked.Increment(ref _last);
            if (_next >= _end && _reserve.TryDequeue(out var start))
                (_next, _end) = (start, start + _blockSize);
            return _next++;
        }
    }

    private void InterlockedMax(long value)
    {
        long current;
        while ((current = Interlocked.Read(ref _last)) < value && Interlocked.CompareExchange(ref _last, value, current) != current)
        {
        }
    }
}
