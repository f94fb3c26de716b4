using System.Numerics;
using System.Runtime.CompilerServices;

namespace RoutingFlow.Capture.Tables;

/// <summary>A key of an <see cref="LruTable{TKey, TValue}"/>: equality and a 64-bit hash (its low bits pick the bucket).</summary>
public interface ITableKey<TKey> : IEquatable<TKey> where TKey : struct
{
    ulong Hash();
}

/// <summary>
/// A bounded table of <typeparamref name="TValue"/> by <typeparamref name="TKey"/> in recency order: a dense array of
/// slots (key, value, hash chain, recency links) with chained buckets, and one or more recency lists threaded through
/// the slots (the TCP flows keep open and closed flows apart), so that idle entries and, at the cap, the least recently
/// active one are found at a list's tail in O(1), without a scan. An entry moves to the front of its list at most once
/// every 2^20 µs (~1 s) of the caller's clock (<see cref="Touch"/>), so that a busy entry does not touch its
/// neighbours on every packet and the lists are in order of activity to within a second. The array grows by doubling
/// up to <see cref="MaxEntries"/> and never shrinks; freed slots are reused. Values are reached by reference
/// (<see cref="this[int]"/>), so nothing is copied or allocated per use. One writer.
/// </summary>
public class LruTable<TKey, TValue>
    where TKey : struct, ITableKey<TKey>
    where TValue : struct
{
    private const int None = -1;
    private const byte Free = 0;
    private Slot[] _slots;
    private int[] _buckets;
    private int _mask;
    private int _used;
    private int _free = None;
    private readonly Ends[] _lists;

    /// <param name="lists">How many recency lists entries can be on (an entry is on exactly one).</param>
    public LruTable(int maxEntries, int initialEntries, int lists = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(lists, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lists, byte.MaxValue - 1);
        MaxEntries = maxEntries;
        _slots = new Slot[Math.Clamp(initialEntries, 1, maxEntries)];
        _buckets = NewBuckets(_slots.Length);
        _mask = _buckets.Length - 1;
        _lists = new Ends[lists];
        Array.Fill(_lists, new Ends { Head = None, Tail = None });
    }

    public int MaxEntries { get; }

    public int Count { get; private set; }

    /// <summary>Slots allocated now.</summary>
    public int Capacity => _slots.Length;

    /// <summary>Bytes the table holds: the slots and the buckets.</summary>
    public long AllocatedBytes => ((long)_slots.Length * Unsafe.SizeOf<Slot>()) + ((long)_buckets.Length * sizeof(int));

    /// <summary>Every slot index in use is below this (for a scan of the whole table).</summary>
    public int HighWater => _used;

    /// <summary>The value in slot <paramref name="index"/>.</summary>
    public ref TValue this[int index] => ref _slots[index].Value;

    public ref readonly TKey KeyAt(int index) => ref _slots[index].Key;

    public bool InUse(int index) => _slots[index].List != Free;

    /// <summary>The list the entry is on.</summary>
    public int ListOf(int index) => _slots[index].List - 1;

    /// <summary>The least recently active entry of <paramref name="list"/>, or -1.</summary>
    public int Oldest(int list = 0) => _lists[list].Tail;

    /// <summary>The slot of <paramref name="key"/>, or -1; <paramref name="hash"/> is <c>key.Hash()</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(in TKey key, ulong hash)
    {
        var slots = _slots;
        for (var i = _buckets[(int)hash & _mask]; i != None; i = slots[i].HashNext)
        {
            if (slots[i].Key.Equals(key))
                return i;
        }
        return None;
    }

    /// <summary>
    /// Adds <paramref name="key"/> (not in the table) with a default value as the most recent entry of
    /// <paramref name="list"/>; -1 when the table is at <see cref="MaxEntries"/> (the caller chooses what to evict).
    /// </summary>
    public int Add(in TKey key, ulong hash, long micros, int list = 0)
    {
        if (Count == MaxEntries)
            return None;
        if (_free == None && _used == _slots.Length)
            Grow();
        int index;
        if (_free != None)
            (index, _free) = (_free, _slots[_free].Next);
        else
            index = _used++;
        ref var slot = ref _slots[index];
        slot = default;
        slot.Key = key;
        slot.List = (byte)(list + 1);
        slot.TouchedTick = Tick(micros);
        ref var bucket = ref _buckets[(int)hash & _mask];
        slot.HashNext = bucket;
        bucket = index;
        PushFront(index);
        Count++;
        return index;
    }

    /// <summary>Makes the entry the most recent of its list, unless it already moved within this ~1 s tick.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Touch(int index, long micros)
    {
        var tick = Tick(micros);
        ref var slot = ref _slots[index];
        if (slot.TouchedTick == tick)
            return;
        slot.TouchedTick = tick;
        if (_lists[slot.List - 1].Head == index)
            return;
        Unlink(index);
        PushFront(index);
    }

    /// <summary>Moves the entry to the front of <paramref name="list"/> (nothing when it is on it already).</summary>
    public void MoveTo(int index, int list)
    {
        ref var slot = ref _slots[index];
        if (slot.List == list + 1)
            return;
        Unlink(index);
        slot.List = (byte)(list + 1);
        PushFront(index);
    }

    public void Remove(int index)
    {
        ref var slot = ref _slots[index];
        Unlink(index);
        ref var link = ref _buckets[(int)slot.Key.Hash() & _mask];
        while (link != index)
            link = ref _slots[link].HashNext;
        link = slot.HashNext;
        slot.List = Free;
        slot.Next = _free;
        _free = index;
        Count--;
    }

    private static ushort Tick(long micros) => (ushort)(micros >> 20);

    private void PushFront(int index)
    {
        ref var slot = ref _slots[index];
        ref var list = ref _lists[slot.List - 1];
        slot.Prev = None;
        slot.Next = list.Head;
        if (list.Head != None)
            _slots[list.Head].Prev = index;
        list.Head = index;
        if (list.Tail == None)
            list.Tail = index;
    }

    private void Unlink(int index)
    {
        ref var slot = ref _slots[index];
        ref var list = ref _lists[slot.List - 1];
        if (slot.Prev != None)
            _slots[slot.Prev].Next = slot.Next;
        else
            list.Head = slot.Next;
        if (slot.Next != None)
            _slots[slot.Next].Prev = slot.Prev;
        else
            list.Tail = slot.Prev;
    }

    private void Grow()
    {
        var size = (int)Math.Min(MaxEntries, (long)_slots.Length * 2);
        Array.Resize(ref _slots, size);
        _buckets = NewBuckets(size);
        _mask = _buckets.Length - 1;
        for (var i = 0; i < _used; i++)
        {
            ref var slot = ref _slots[i];
            if (slot.List == Free)
                continue;
            ref var bucket = ref _buckets[(int)slot.Key.Hash() & _mask];
            slot.HashNext = bucket;
            bucket = i;
        }
    }

    /// <summary>One bucket per slot, rounded up to a power of two.</summary>
    private static int[] NewBuckets(int slots)
    {
        var buckets = new int[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(slots, 16))];
        Array.Fill(buckets, None);
        return buckets;
    }

    // The key and the links first: a lookup reads them, and they share the first cache line.
    private struct Slot
    {
        public TKey Key;

        /// <summary>The next slot in this one's bucket; -1 at the end. On the free list: unused.</summary>
        public int HashNext;

        /// <summary>Neighbours in the recency list, most recent first; -1 at the ends. On the free list, <see cref="Next"/> links it.</summary>
        public int Prev;

        public int Next;

        /// <summary>When the entry last moved to the front of its list, in units of 2^20 µs.</summary>
        public ushort TouchedTick;

        /// <summary>The list the entry is on, plus one; 0 when the slot is free.</summary>
        public byte List;

        public TValue Value;
    }

    private struct Ends
    {
        public int Head;
        public int Tail;
    }
}
