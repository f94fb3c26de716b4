using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Capture.Protocols;

/// <summary>
/// Requests waiting for their answer (a DNS query, a TLS ClientHello, an HTTP request), for the request → answer
/// latency: the first of a retransmitted request is kept; one not answered within the timeout is counted unanswered.
/// Bounded: past <see cref="Capacity"/> the oldest waiting request is dropped (counted). One writer; nothing
/// allocated once the table has grown.
/// </summary>
public sealed class PendingRequests<TKey>(long timeoutMicros, int capacity = 65_536) where TKey : struct, IEquatable<TKey>
{
    private readonly Dictionary<TKey, long> _pending = new(256);
    private readonly Queue<(TKey Key, long Micros)> _order = new(256);

    public int Capacity { get; } = capacity;

    public int Count => _pending.Count;

    public long Unanswered { get; private set; }

    public long Overflows { get; private set; }

    public SampleReservoir Latency { get; } = new();

    /// <summary>Starts timing <paramref name="key"/>; false when it is already waiting (a retransmission).</summary>
    public bool Start(TKey key, long micros)
    {
        if (!_pending.TryAdd(key, micros))
            return false;
        if (_order.Count >= Capacity && _order.TryDequeue(out var oldest) && _pending.Remove(oldest.Key))
            Overflows++;
        _order.Enqueue((key, micros));
        return true;
    }

    /// <summary>Answers <paramref name="key"/>: its latency goes to <see cref="Latency"/>; false when nothing waited for it.</summary>
    public bool Finish(TKey key, long micros)
    {
        if (!_pending.Remove(key, out var sent))
            return false;
        Latency.Add(Math.Max(0, micros - sent) / 1e6);
        return true;
    }

    /// <summary>Counts and drops the requests that waited longer than the timeout by <paramref name="nowMicros"/>.</summary>
    public void Expire(long nowMicros)
    {
        while (_order.TryPeek(out var head) && head.Micros <= nowMicros - timeoutMicros)
        {
            _order.Dequeue();
            if (_pending.TryGetValue(head.Key, out var sent) && sent == head.Micros && _pending.Remove(head.Key))
                Unanswered++;
        }
    }

    public LatencySummary Summary()
    {
        var percentiles = Latency.Percentiles(0.5, 0.95);
        return new LatencySummary(Latency.Count, Latency.Mean, percentiles[0], percentiles[1]);
    }
}
