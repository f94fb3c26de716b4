namespace RoutingFlow.Capture.Tcp;

/// <summary>
/// The connection attempts still waiting for an answer, oldest first: a ring of (flow, its key's hash, deadline) in
/// the order the first SYNs were seen, so that a publication only looks at the attempts whose
/// <c>Network:ConnectTimeout</c> has passed. Bounded: when full, the oldest is dropped unchecked (counted in
/// <see cref="Overflows"/>); it starts small and doubles up to that as attempts wait, 24 bytes each. A flow
/// evicted or re-used meanwhile no longer matches its hash and is skipped.
/// </summary>
public sealed class PendingHandshakes(int capacity)
{
    private (int Flow, ulong Hash, long DeadlineMicros)[] _ring = new (int, ulong, long)[Math.Min(capacity, 1024)];
    private int _head;
    private int _count;

    public long Overflows { get; private set; }

    public int Count => _count;

    public void Add(int flow, ulong hash, long deadlineMicros)
    {
        if (_count == _ring.Length && _ring.Length < capacity)
            Grow();
        if (_count == _ring.Length)
        {
            _head = (_head + 1) % _ring.Length;
            _count--;
            Overflows++;
        }
        _ring[(_head + _count) % _ring.Length] = (flow, hash, deadlineMicros);
        _count++;
    }

    private void Grow()
    {
        var grown = new (int, ulong, long)[Math.Min(capacity, _ring.Length * 2)];
        for (var i = 0; i < _count; i++)
            grown[i] = _ring[(_head + i) % _ring.Length];
        (_ring, _head) = (grown, 0);
    }

    /// <summary>Takes the oldest attempt if its deadline is at or before <paramref name="nowMicros"/>.</summary>
    public bool TryTakeExpired(long nowMicros, out int flow, out ulong hash)
    {
        if (_count == 0 || _ring[_head].DeadlineMicros > nowMicros)
        {
            (flow, hash) = (-1, 0);
            return false;
        }
        (flow, hash, _) = _ring[_head];
        _head = (_head + 1) % _ring.Length;
        _count--;
        return true;
    }
}
