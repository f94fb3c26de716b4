using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Accounting;

/// <summary>
/// Open-addressing hash table from <see cref="TrafficKey"/> to <see cref="TrafficCounters"/>, bounded at
/// <see cref="MaxEntries"/> keys. Each slot is one 64-byte cache line (key, counters, state), so a lookup costs
/// one cache miss. Linear probing with backward-shift deletion. Sized to <c>initialEntries</c> (default
/// <see cref="DefaultInitialEntries"/>), it doubles (rehashing, off the per-packet path in the amortised sense) as
/// keys arrive, up to <see cref="MaxEntries"/>, and shrinks to twice what is left (not below its initial size) when
/// idle eviction leaves it under 1/8 full; eviction takes keys idle for the whole idle timeout, so a shrink and a
/// regrow are minutes apart at the least. A table sized for its keys rather than for its cap stays in the caches:
/// a live capture with 6,000 addresses in a table preallocated for 65,536 spent twice as long per frame on
/// accounting, and scanned 8 MB every second to publish.
/// One writer; readers get copies through <see cref="CopyTo"/> on the writer's thread.
/// </summary>
public sealed class TrafficTable
{
    public const int DefaultInitialEntries = 4096;
    private readonly int _minSlots;
    private readonly int _limit;
    private Slot[] _slots;
    private int _mask;

    /// <param name="headroom">
    /// Keys that may arrive beyond <paramref name="maxEntries"/> between two <see cref="EvictAndCopy"/> calls, which
    /// then evicts the least recently seen down to the cap: a live table holds its whole cap, and a host new within
    /// the second is counted rather than dropped. 0: the cap is hard (the offline endpoints).
    /// </param>
    public TrafficTable(int maxEntries, int? initialEntries = null, int headroom = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(headroom);
        MaxEntries = maxEntries;
        _limit = maxEntries + headroom;
        _minSlots = SlotsFor(Math.Min(initialEntries ?? DefaultInitialEntries, maxEntries));
        _slots = new Slot[_minSlots];
        _mask = _slots.Length - 1;
    }

    /// <summary>Slots allocated now (a power of two; at most 3/4 of them hold keys).</summary>
    public int Capacity => _slots.Length;

    public int MaxEntries { get; }

    public int Count { get; private set; }

    /// <summary>Keys removed to make room or because they went idle.</summary>
    public long Evictions { get; private set; }

    /// <summary>Frames not accounted because the table was full with no idle key to evict.</summary>
    public long Overflows { get; private set; }

    /// <summary>The counters for <paramref name="key"/>, added when new; a null ref (<see cref="Unsafe.IsNullRef{T}"/>) when full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref TrafficCounters GetOrAdd(in TrafficKey key)
    {
        var slot = (int)key.Hash64() & _mask;
        while (_slots[slot].Used)
        {
            if (_slots[slot].Is(key))
                return ref _slots[slot].Counters;
            slot = (slot + 1) & _mask;
        }
        if (Count == _limit)
        {
            Overflows++;
            return ref Unsafe.NullRef<TrafficCounters>();
        }
        if ((Count + 1) * 4L > _slots.Length * 3L && _slots.Length < SlotsFor(_limit))
        {
            Resize(_slots.Length * 2);
            return ref GetOrAdd(key);
        }
        _slots[slot] = new Slot(key);
        Count++;
        return ref _slots[slot].Counters;
    }

    /// <summary>Counts one frame of <paramref name="bytes"/> sent by <paramref name="key"/> (dropped, and counted, when full).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddTx(in TrafficKey key, int bytes, long timestampMicros) => Add(key, bytes, timestampMicros, sent: true);

    /// <summary>Counts one frame of <paramref name="bytes"/> sent to <paramref name="key"/> (dropped, and counted, when full).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddRx(in TrafficKey key, int bytes, long timestampMicros) => Add(key, bytes, timestampMicros, sent: false);

    /// <summary>Counts <paramref name="packets"/> packets of <paramref name="bytes"/> in all, sent by or to <paramref name="key"/> (the conntrack backend's deltas).</summary>
    public void Add(in TrafficKey key, long packets, long bytes, bool sent, long timestampMicros)
    {
        ref var counters = ref GetOrAdd(key);
        if (Unsafe.IsNullRef(ref counters))
            return;
        if (sent)
            (counters.TxPackets, counters.TxBytes) = (counters.TxPackets + packets, counters.TxBytes + bytes);
        else
            (counters.RxPackets, counters.RxBytes) = (counters.RxPackets + packets, counters.RxBytes + bytes);
        counters.LastSeenMicros = timestampMicros;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Add(in TrafficKey key, int bytes, long timestampMicros, bool sent)
    {
        ref var counters = ref GetOrAdd(key);
        if (Unsafe.IsNullRef(ref counters))
            return;
        if (sent)
            (counters.TxPackets, counters.TxBytes) = (counters.TxPackets + 1, counters.TxBytes + bytes);
        else
            (counters.RxPackets, counters.RxBytes) = (counters.RxPackets + 1, counters.RxBytes + bytes);
        counters.LastSeenMicros = timestampMicros;
    }

    /// <summary>Starts loading <paramref name="key"/>'s home slot into the cache, so that two lookups overlap their misses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(in TrafficKey key)
    {
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref _slots[(int)key.Hash64() & _mask]));
    }

    public bool TryGet(in TrafficKey key, out TrafficCounters counters)
    {
        for (var slot = (int)key.Hash64() & _mask; _slots[slot].Used; slot = (slot + 1) & _mask)
        {
            if (_slots[slot].Is(key))
            {
                counters = _slots[slot].Counters;
                return true;
            }
        }
        counters = default;
        return false;
    }

    /// <summary>
    /// A publication's copy: evicts what has been idle since <paramref name="cutoffMicros"/> (and, past the cap, the
    /// least recently seen down to it), then copies the rest for readers on other threads.
    /// </summary>
    public List<TrafficEntry> EvictAndCopy(long cutoffMicros)
    {
        EvictIdle(cutoffMicros);
        EvictOldest(MaxEntries);
        var entries = new List<TrafficEntry>(Count);
        CopyTo(entries);
        return entries;
    }

    /// <summary>Removes every key last seen before <paramref name="cutoffMicros"/>; returns how many.</summary>
    public int EvictIdle(long cutoffMicros)
    {
        var removed = 0;
        for (var slot = 0; slot < _slots.Length;)
        {
            if (_slots[slot].Used && _slots[slot].Counters.LastSeenMicros < cutoffMicros)
            {
                RemoveAt(slot);
                removed++;
                continue; // the backward shift may have moved another key into this slot
            }
            slot++;
        }
        Evictions += removed;
        if (_slots.Length > _minSlots && Count * 8L < _slots.Length)
            Resize(Math.Max(_minSlots, SlotsFor(Count * 2)));
        return removed;
    }

    /// <summary>When more than <paramref name="highWater"/> keys are held, evicts the least recently seen down to it.</summary>
    public int EvictOldest(int highWater)
    {
        if (Count <= highWater)
            return 0;
        var seen = new long[Count];
        var n = 0;
        foreach (ref readonly var s in _slots.AsSpan())
        {
            if (s.Used)
                seen[n++] = s.Counters.LastSeenMicros;
        }
        Array.Sort(seen);
        return EvictIdle(seen[Count - highWater - 1] + 1);
    }

    /// <summary>Appends a copy of every row to <paramref name="into"/>.</summary>
    public void CopyTo(List<TrafficEntry> into)
    {
        foreach (var entry in this)
            into.Add(entry);
    }

    /// <summary>Every row, in slot order, read in place (on the writer's thread, like every other member).</summary>
    public Enumerator GetEnumerator() => new(_slots);

    public ref struct Enumerator
    {
        private readonly Slot[] _slots;
        private int _slot;

        internal Enumerator(Slot[] slots) => (_slots, _slot) = (slots, -1);

        public readonly TrafficEntry Current => new(_slots[_slot].Key, _slots[_slot].Counters);

        public bool MoveNext()
        {
            while (++_slot < _slots.Length)
            {
                if (_slots[_slot].Used)
                    return true;
            }
            return false;
        }
    }

    // At most three quarters full: linear probing stays short (1.5 probes at 0.5, 2.5 at 0.75 for a hit) and the
    // table, which must fit the caches as far as it can, is up to half the size of a half-full one.
    private static int SlotsFor(int entries) => (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)((entries * 4L + 2) / 3)));

    private void Resize(int slots)
    {
        var old = _slots;
        _slots = new Slot[slots];
        _mask = _slots.Length - 1;
        foreach (ref readonly var s in old.AsSpan())
        {
            if (!s.Used)
                continue;
            var slot = (int)s.Key.Hash64() & _mask;
            while (_slots[slot].Used)
                slot = (slot + 1) & _mask;
            _slots[slot] = s;
        }
    }

    private void RemoveAt(int hole)
    {
        var slot = hole;
        while (true)
        {
            slot = (slot + 1) & _mask;
            if (!_slots[slot].Used)
                break;
            var home = (int)_slots[slot].Key.Hash64() & _mask;
            // Move the key back into the hole unless its home lies cyclically within (hole, slot].
            var stays = hole <= slot ? hole < home && home <= slot : hole < home || home <= slot;
            if (stays)
                continue;
            _slots[hole] = _slots[slot];
            hole = slot;
        }
        _slots[hole] = default;
        Count--;
    }

    /// <summary>Key (address words, family, WAN) and counters in one 64-byte cache line.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    internal struct Slot(TrafficKey key)
    {
        public TrafficCounters Counters;
        private readonly ulong _hi = key.Ip.Hi;
        private readonly ulong _lo = key.Ip.Lo;
        private readonly byte _nic = key.Nic;
        private readonly bool _v6 = key.Ip.IsV6;
        public readonly bool Used = true;

        public readonly TrafficKey Key => new(_v6 ? IpAddr.FromV6(_hi, _lo) : IpAddr.FromV4((uint)_lo), _nic);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly bool Is(in TrafficKey key) =>
            _lo == key.Ip.Lo && _hi == key.Ip.Hi && _nic == key.Nic && _v6 == key.Ip.IsV6;
    }
}
