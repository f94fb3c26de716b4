using System.Runtime.CompilerServices;
using RoutingFlow.Capture.Tables;

namespace RoutingFlow.Capture.Connections;

/// <summary>
/// Per-connection counters (packets, wire bytes, last activity) keyed by the full <see cref="ConnectionKey"/>, bounded
/// at <see cref="MaxEntries"/>: when full, the least recently active entry is evicted (counted); entries idle past the
/// idle timeout go at <see cref="ExpireIdle"/>. A <see cref="LruTable{TKey, TValue}"/> with one recency list, as the
/// TCP flow table. Any backend fills it the same way — the pcap consumer per frame through <see cref="Add"/>, a
/// kernel-side one (eBPF maps read periodically) through <see cref="Set"/> — and readers get copies through
/// <see cref="CopyTo"/>. One writer.
/// </summary>
public sealed class ConnectionTable(int maxEntries, int initialEntries = 256)
{
    private readonly LruTable<ConnectionKey, Counts> _table = new(maxEntries, initialEntries);

    public int MaxEntries => _table.MaxEntries;

    public int Count => _table.Count;

    /// <summary>Entries evicted to make room at <see cref="MaxEntries"/>.</summary>
    public long Evictions { get; private set; }

    /// <summary>Entries removed for idleness.</summary>
    public long Expired { get; private set; }

    /// <summary>Counts one frame of <paramref name="bytes"/> wire bytes for <paramref name="key"/> at <paramref name="micros"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(in ConnectionKey key, int bytes, long micros)
    {
        ref var entry = ref GetOrAdd(key, micros);
        entry.Packets++;
        entry.Bytes += bytes;
        entry.LastActiveMicros = micros;
    }

    /// <summary>Sets the totals a backend that counts elsewhere (in the kernel) reports for <paramref name="key"/>.</summary>
    public void Set(in ConnectionKey key, long packets, long bytes, long lastActiveMicros)
    {
        ref var entry = ref GetOrAdd(key, lastActiveMicros);
        (entry.Packets, entry.Bytes, entry.LastActiveMicros) = (packets, bytes, lastActiveMicros);
    }

    /// <summary>Removes the entries last active before <paramref name="cutoffMicros"/>; returns how many.</summary>
    public int ExpireIdle(long cutoffMicros)
    {
        var removed = 0;
        for (var i = _table.Oldest(); i >= 0 && _table[i].LastActiveMicros < cutoffMicros; i = _table.Oldest())
        {
            _table.Remove(i);
            Expired++;
            removed++;
        }
        return removed;
    }

    /// <summary>Removes every entry of one device (its counters reset, or it was detached); returns how many.</summary>
    public int RemoveDevice(int deviceId)
    {
        var removed = 0;
        for (var i = 0; i < _table.HighWater; i++)
        {
            if (_table.InUse(i) && _table.KeyAt(i).DeviceId == deviceId)
            {
                _table.Remove(i);
                removed++;
            }
        }
        return removed;
    }

    /// <summary>A copy of every entry (the readers' view), in no particular order.</summary>
    public void CopyTo(List<ConnectionEntry> into)
    {
        for (var i = 0; i < _table.HighWater; i++)
        {
            if (!_table.InUse(i))
                continue;
            ref readonly var e = ref _table[i];
            into.Add(new ConnectionEntry(_table.KeyAt(i), e.Packets, e.Bytes, e.LastActiveMicros));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Counts GetOrAdd(in ConnectionKey key, long micros)
    {
        var hash = key.Hash();
        var index = _table.Find(key, hash);
        if (index >= 0)
        {
            _table.Touch(index, micros);
            return ref _table[index];
        }
        return ref _table[Insert(key, hash, micros)];
    }

    private int Insert(in ConnectionKey key, ulong hash, long micros)
    {
        if (_table.Count == _table.MaxEntries)
        {
            _table.Remove(_table.Oldest());
            Evictions++;
        }
        return _table.Add(key, hash, micros);
    }

    private struct Counts
    {
        public long Packets;
        public long Bytes;
        public long LastActiveMicros;
    }
}

/// <summary>One connection's counters as readers get them.</summary>
public readonly record struct ConnectionEntry(ConnectionKey Key, long Packets, long Bytes, long LastActiveMicros);
