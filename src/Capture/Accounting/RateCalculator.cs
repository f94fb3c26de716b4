namespace RoutingFlow.Capture.Accounting;

/// <summary>Bit rates of one tracked address over the rate window, with its cumulative counters.</summary>
public readonly record struct TrafficRate(TrafficKey Key, double RxBps, double TxBps, TrafficCounters Counters);

/// <summary>
/// Turns successive snapshots of cumulative counters (one capture's) into bit rates averaged over a window:
/// rate = Δbytes × 8 / Δt between the newest snapshot and the oldest one still inside the window. A key new in a
/// snapshot started from zero after the previous snapshot; a counter that went backwards (the capture restarted)
/// starts over the same way. Keys missing from a snapshot (evicted) are forgotten. Each key keeps its samples in a
/// small ring of its own, marked with the snapshot that last saw it, so that an update allocates only its result.
/// </summary>
public sealed class RateCalculator(TimeSpan window)
{
    private readonly Dictionary<TrafficKey, SampleRing> _history = [];
    private readonly List<TrafficKey> _gone = [];
    private readonly long _windowMicros = (long)(window.TotalMilliseconds * 1000);
    private long _previousMicros = long.MinValue;
    private long _update;

    public List<TrafficRate> Update(long nowMicros, IReadOnlyList<TrafficEntry> entries)
    {
        var update = ++_update;
        var rates = new List<TrafficRate>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
            rates.Add(Rate(nowMicros, entries[i], update));
        if (_history.Count > entries.Count)
            Forget(update);
        _previousMicros = nowMicros;
        return rates;
    }

    private void Forget(long update)
    {
        foreach (var (key, ring) in _history)
        {
            if (ring.Seen != update)
                _gone.Add(key);
        }
        foreach (var key in _gone)
            _history.Remove(key);
        _gone.Clear();
    }

    private TrafficRate Rate(long nowMicros, TrafficEntry entry, long update)
    {
        var c = entry.Counters;
        if (!_history.TryGetValue(entry.Key, out var samples))
            _history[entry.Key] = samples = new SampleRing();
        if (samples.Count == 0 || c.RxBytes < samples.Last.Rx || c.TxBytes < samples.Last.Tx)
            Seed(samples);
        samples.Seen = update;
        samples.Add(new Sample(nowMicros, c.RxBytes, c.TxBytes));
        while (samples.Count > 2 && samples[1].Micros <= nowMicros - _windowMicros)
            samples.RemoveOldest();
        var oldest = samples[0];
        var seconds = (nowMicros - oldest.Micros) / 1e6;
        return seconds <= 0
            ? new TrafficRate(entry.Key, 0, 0, c)
            : new TrafficRate(entry.Key, (c.RxBytes - oldest.Rx) * 8 / seconds, (c.TxBytes - oldest.Tx) * 8 / seconds, c);
    }

    /// <summary>A key new (or restarted) since the previous snapshot started from zero just after it.</summary>
    private void Seed(SampleRing samples)
    {
        samples.Clear();
        if (_previousMicros != long.MinValue)
            samples.Add(new Sample(_previousMicros, 0, 0));
    }

    private readonly record struct Sample(long Micros, long Rx, long Tx);

    /// <summary>One key's samples, oldest first, in a ring that doubles when the window holds more.</summary>
    private sealed class SampleRing
    {
        private Sample[] _items = new Sample[4];
        private int _head;

        public int Count { get; private set; }

        public long Seen { get; set; }

        public Sample this[int index] => _items[(_head + index) & (_items.Length - 1)];

        public Sample Last => this[Count - 1];

        public void Add(Sample sample)
        {
            if (Count == _items.Length)
                Grow();
            _items[(_head + Count) & (_items.Length - 1)] = sample;
            Count++;
        }

        public void RemoveOldest()
        {
            _head = (_head + 1) & (_items.Length - 1);
            Count--;
        }

        public void Clear() => (_head, Count) = (0, 0);

        private void Grow()
        {
            var items = new Sample[_items.Length * 2];
            for (var i = 0; i < Count; i++)
                items[i] = this[i];
            (_items, _head) = (items, 0);
        }
    }
}
