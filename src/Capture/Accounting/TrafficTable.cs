using System.Runtime.CompilerServices;

namespace RoutingFlow.Capture.Accounting;

/// <summary>
/// Open-addressing hash table from <see cref="TrafficKey"/> to <see cref="TrafficCounters"/>, preallocated and
/// bounded: at most <see cref="MaxEntries"/> keys, never resized, no allocation after construction. Linear probing
/// with backward-shift deletion. One writer; readers get copies through <see cref="CopyTo"/> on the writer's thread.
/// </summary>
public sealed class TrafficTable
{
    private readonly TrafficKey[] _keys;
    private readonly TrafficCounters[] _values;
    private readonly bool[] _used;
    private readonly int _mask;

    public TrafficTable(int maxEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        MaxEntries = maxEntries;
        var slots = (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)maxEntries * 2));
        _keys = new TrafficKey[slots];
        _values = new TrafficCounters[slots];
        _used = new bool[slots];
        _mask = slots - 1;
    }

    public int MaxEntries { get; }

    public int Count { get; private set; }

    /// <summary>Keys removed to make room or because they went idle.</summary>
    public long Evictions { get; private set; }

    /// <summary>Frames not accounted because the table was full with no idle key to evict.</summary>
    public long Overflows { get; private set; }

    /// <summary>The counters for <paramref name="key"/>, added when new; a null ref (<see cref="Unsafe.IsNullRef{T}"/>) when full.</summary>
    public ref TrafficCounters GetOrAdd(in TrafficKey key)
    {
        var slot = (int)key.Hash64() & _mask;
        while (_used[slot])
        {
            if (_keys[slot] == key)
                return ref _values[slot];
            slot = (slot + 1) & _mask;
        }
        if (Count == MaxEntries)
        {
            Overflows++;
            return ref Unsafe.NullRef<TrafficCounters>();
        }
        _used[slot] = true;
        _keys[slot] = key;
        _values[slot] = default;
        Count++;
        return ref _values[slot];
    }

    public bool TryGet(in TrafficKey key, out TrafficCounters counters)
    {
        for (var slot = (int)key.Hash64() & _mask; _used[slot]; slot = (slot + 1) & _mask)
        {
            if (_keys[slot] == key)
            {
                counters = _values[slot];
                return true;
            }
        }
        counters = default;
        return false;
    }

    /// <summary>Removes every key last seen before <paramref name="cutoffMicros"/>; returns how many.</summary>
    public int EvictIdle(long cutoffMicros)
    {
        var removed = 0;
        for (var slot = 0; slot < _used.Length;)
        {
            if (_used[slot] && _values[slot].LastSeenMicros < cutoffMicros)
            {
                RemoveAt(slot);
                removed++;
                continue; // the backward shift may have moved another key into this slot
            }
            slot++;
        }
        Evictions += removed;
        return removed;
    }

    /// <summary>When more than <paramref name="highWater"/> keys are held, evicts the least recently seen down to it.</summary>
    public int EvictOldest(int highWater)
    {
        if (Count <= highWater)
            return 0;
        var seen = new long[Count];
        var n = 0;
        for (var slot = 0; slot < _used.Length; slot++)
        {
            if (_used[slot])
                seen[n++] = _values[slot].LastSeenMicros;
        }
        Array.Sort(seen);
        return EvictIdle(seen[Count - highWater - 1] + 1);
    }

    /// <summary>Appends a copy of every row to <paramref name="into"/>.</summary>
    public void CopyTo(List<TrafficEntry> into)
    {
        for (var slot = 0; slot < _used.Length; slot++)
        {
            if (_used[slot])
                into.Add(new TrafficEntry(_keys[slot], _values[slot]));
        }
    }

    private void RemoveAt(int hole)
    {
        var slot = hole;
        while (true)
        {
            slot = (slot + 1) & _mask;
            if (!_used[slot])
                break;
            var home = (int)_keys[slot].Hash64() & _mask;
            // Move the key back into the hole unless its home lies cyclically within (hole, slot].
            var stays = hole <= slot ? hole < home && home <= slot : hole < home || home <= slot;
            if (stays)
                continue;
            _keys[hole] = _keys[slot];
            _values[hole] = _values[slot];
            hole = slot;
        }
        _used[hole] = false;
        _keys[hole] = default;
        _values[hole] = default;
        Count--;
    }
}
