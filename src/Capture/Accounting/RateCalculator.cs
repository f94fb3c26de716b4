namespace RoutingFlow.Capture.Accounting;

/// <summary>Bit rates of one tracked address over the rate window, with its cumulative counters.</summary>
public readonly record struct TrafficRate(TrafficKey Key, double RxBps, double TxBps, TrafficCounters Counters);

/// <summary>
/// Turns successive snapshots of cumulative counters (one capture's) into bit rates averaged over a window:
/// rate = Δbytes × 8 / Δt between the newest snapshot and the oldest one still inside the window. A key new in a
/// snapshot started from zero after the previous snapshot; a counter that went backwards (the capture restarted)
/// starts over the same way. Keys missing from a snapshot (evicted) are forgotten.
/// </summary>
public sealed class RateCalculator(TimeSpan window)
{
    private readonly Dictionary<TrafficKey, Queue<Sample>> _history = [];
    private readonly long _windowMicros = (long)(window.TotalMilliseconds * 1000);
    private long _previousMicros = long.MinValue;

    public List<TrafficRate> Update(long nowMicros, IReadOnlyList<TrafficEntry> entries)
    {
        var rates = new List<TrafficRate>(entries.Count);
        var seen = new HashSet<TrafficKey>(entries.Count);
        foreach (var entry in entries)
        {
            seen.Add(entry.Key);
            rates.Add(Rate(nowMicros, entry));
        }
        foreach (var gone in _history.Keys.Where(k => !seen.Contains(k)).ToList())
            _history.Remove(gone);
        _previousMicros = nowMicros;
        return rates;
    }

    private TrafficRate Rate(long nowMicros, TrafficEntry entry)
    {
        var c = entry.Counters;
        if (!_history.TryGetValue(entry.Key, out var samples))
            _history[entry.Key] = samples = Seeded();
        else if (samples.Count > 0 && (c.RxBytes < samples.Last().Rx || c.TxBytes < samples.Last().Tx))
            samples = _history[entry.Key] = Seeded();
        samples.Enqueue(new Sample(nowMicros, c.RxBytes, c.TxBytes));
        while (samples.Count > 2 && samples.ElementAt(1).Micros <= nowMicros - _windowMicros)
            samples.Dequeue();
        var oldest = samples.Peek();
        var seconds = (nowMicros - oldest.Micros) / 1e6;
        return seconds <= 0
            ? new TrafficRate(entry.Key, 0, 0, c)
            : new TrafficRate(entry.Key, (c.RxBytes - oldest.Rx) * 8 / seconds, (c.TxBytes - oldest.Tx) * 8 / seconds, c);
    }

    private Queue<Sample> Seeded()
    {
        var samples = new Queue<Sample>();
        if (_previousMicros != long.MinValue)
            samples.Enqueue(new Sample(_previousMicros, 0, 0));
        return samples;
    }

    private readonly record struct Sample(long Micros, long Rx, long Tx);
}
