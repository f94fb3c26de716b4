using System.Numerics;
using System.Runtime.CompilerServices;

namespace RoutingFlow.Capture.Connections;

/// <summary>
/// Per-connection counters (packets, wire bytes, last activity) keyed by the full <see cref="ConnectionKey"/>, bounded
/// at <see cref="MaxEntries"/>: when full, the least recently active entry is evicted (counted); entries idle past the
/// idle timeout go at <see cref="ExpireIdle"/>. Dense entries with chained buckets and a recency list (an entry moves
/// to the front at most once per ~1 s of capture time), as the TCP flow table. Any backend fills it the same way —
/// the pcap consumer per frame through <see cref="Add"/>, a kernel-side one (eBPF maps read periodically) through
/// <see cref="Set"/> — and readers get copies through <see cref="CopyTo"/>. One writer.
/// </summary>
public sealed class ConnectionTable
{
    private const int None = -1;
    private Entry[] _entries;
    private int[] _buckets;
    private int _mask;
    private int _used;
    private int _free = None;
    private int _head = None;
    private int _tail = None;

    public ConnectionTable(int maxEntries, int initialEntries = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        MaxEntries = maxEntries;
        _entries = new Entry[Math.Min(initialEntries, maxEntries)];
        _buckets = NewBuckets(_entries.Length);
        _mask = _buckets.Length - 1;
    }

    public int MaxEntries { get; }

    public int Count { get; private set; }

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
        while (_tail != None && _entries[_tail].LastActiveMicros < cutoffMicros)
        {
            Remove(_tail);
            Expired++;
            removed++;
        }
        return removed;
    }

    /// <summary>Removes every entry of one device (its counters reset, or it was detached); returns how many.</summary>
    public int RemoveDevice(int deviceId)
    {
        var removed = 0;
        for (var i = 0; i < _used; i++)
        {
            if (_entries[i].InUse && _entries[i].Key.DeviceId == deviceId)
            {
                Remove(i);
                removed++;
            }
        }
        return removed;
    }

    /// <summary>A copy of every entry (the readers' view), in no particular order.</summary>
    public void CopyTo(List<ConnectionEntry> into)
    {
        for (var i = 0; i < _used; i++)
        {
            ref readonly var e = ref _entries[i];
            if (e.InUse)
                into.Add(new ConnectionEntry(e.Key, e.Packets, e.Bytes, e.LastActiveMicros));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Entry GetOrAdd(in ConnectionKey key, long micros)
    {
        var hash = key.Hash();
        for (var i = _buckets[(int)hash & _mask]; i != None; i = _entries[i].HashNext)
        {
            if (_entries[i].Key == key)
            {
                Touch(i, micros);
                return ref _entries[i];
            }
        }
        var added = Insert(key, hash, micros); // first: inserting may replace the array
        return ref _entries[added];
    }

    private int Insert(in ConnectionKey key, ulong hash, long micros)
    {
        if (Count == MaxEntries)
        {
            Remove(_tail);
            Evictions++;
        }
        if (_free == None && _used == _entries.Length)
            Grow();
        int index;
        if (_free != None)
            (index, _free) = (_free, _entries[_free].Next);
        else
            index = _used++;
        ref var entry = ref _entries[index];
        entry = new Entry { Key = key, InUse = true, TouchedTick = (ushort)(micros >> 20) };
        ref var bucket = ref _buckets[(int)hash & _mask];
        entry.HashNext = bucket;
        bucket = index;
        PushFront(index);
        Count++;
        return index;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Touch(int index, long micros)
    {
        var tick = (ushort)(micros >> 20);
        if (_entries[index].TouchedTick == tick || _head == index)
            return;
        _entries[index].TouchedTick = tick;
        Unlink(index);
        PushFront(index);
    }

    private void Remove(int index)
    {
        ref var entry = ref _entries[index];
        Unlink(index);
        ref var link = ref _buckets[(int)entry.Key.Hash() & _mask];
        while (link != index)
            link = ref _entries[link].HashNext;
        link = entry.HashNext;
        entry.InUse = false;
        entry.Next = _free;
        _free = index;
        Count--;
    }

    private void PushFront(int index)
    {
        ref var entry = ref _entries[index];
        entry.Prev = None;
        entry.Next = _head;
        if (_head != None)
            _entries[_head].Prev = index;
        _head = index;
        if (_tail == None)
            _tail = index;
    }

    private void Unlink(int index)
    {
        ref var entry = ref _entries[index];
        if (entry.Prev != None)
            _entries[entry.Prev].Next = entry.Next;
        else
            _head = entry.Next;
        if (entry.Next != None)
            _entries[entry.Next].Prev = entry.Prev;
        else
            _tail = entry.Prev;
    }

    private void Grow()
    {
        var size = (int)Math.Min(MaxEntries, (long)_entries.Length * 2);
        Array.Resize(ref _entries, size);
        _buckets = NewBuckets(size);
        _mask = _buckets.Length - 1;
        for (var i = 0; i < _used; i++)
        {
            ref var entry = ref _entries[i];
            if (!entry.InUse)
                continue;
            ref var bucket = ref _buckets[(int)entry.Key.Hash() & _mask];
            entry.HashNext = bucket;
            bucket = i;
        }
    }

    private static int[] NewBuckets(int entries)
    {
        var buckets = new int[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(entries, 16))];
        Array.Fill(buckets, None);
        return buckets;
    }

    private struct Entry
    {
        public ConnectionKey Key;
        public long Packets;
        public long Bytes;
        public long LastActiveMicros;
        public int HashNext;
        public int Prev;
        public int Next;
        public ushort TouchedTick;
        public bool InUse;
    }
}

/// <summary>One connection's counters as readers get them.</summary>
public readonly record struct ConnectionEntry(ConnectionKey Key, long Packets, long Bytes, long LastActiveMicros);
