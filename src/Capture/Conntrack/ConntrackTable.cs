using System.Numerics;

namespace RoutingFlow.Capture.Conntrack;

/// <summary>
/// The kernel's connections, bounded: each found by its original and by its reply tuple, either way round (a packet
/// on the LAN side matches the original tuple, one on the WAN side behind NAT the reply tuple), through one chained
/// hash index over both. Past <see cref="MaxEntries"/> the least recently updated connection goes (counted).
/// One writer (the conntrack reader, under <see cref="Gate"/>); the captures look up under the same lock only when
/// their own cache misses, and check a cached answer against <see cref="GenerationOf"/> without locking.
/// About 120 bytes per connection: an entry (two 40-byte tuples, mark, links) plus a bucket and a generation.
/// </summary>
public sealed class ConntrackTable
{
    private const int None = -1;
    private const int NotLinked = -2;
    private const int InitialEntries = 4096;
    private Entry[] _entries;
    private readonly int[] _generations;
    private readonly int[] _buckets;
    private readonly int _mask;
    private int _free = None;
    private int _unused;
    private int _newest = None, _oldest = None;
    private int _epoch;
    private long _inserts;
    private volatile bool _active;

    public ConntrackTable(int maxEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        MaxEntries = maxEntries;
        _entries = new Entry[Math.Min(maxEntries, InitialEntries)]; // grown as connections come: 112 bytes each
        _generations = new int[maxEntries];
        _buckets = new int[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(maxEntries, 16))];
        _mask = _buckets.Length - 1;
        Array.Fill(_buckets, None);
    }

    public Lock Gate { get; } = new();

    public int MaxEntries { get; }

    public int Count { get; private set; }

    /// <summary>What the table holds now: its entries as allocated so far, the generations and the index.</summary>
    internal long RetainedBytes => ((long)_entries.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<Entry>()) + (4L * _generations.Length) + (4L * _buckets.Length);

    /// <summary>Connections dropped because the table was full (least recently updated first).</summary>
    public long Evictions { get; private set; }

    /// <summary>True while the reader keeps the table current; the captures do not look up otherwise.</summary>
    public bool Active
    {
        get => _active;
        set => _active = value;
    }

    /// <summary>Grows with each insert: a capture's cached "no such connection" holds while this is unchanged.</summary>
    public long InsertVersion => Volatile.Read(ref _inserts);

    /// <summary>Changes whenever the connection in <paramref name="slot"/> changes or goes: a capture's cached answer holds while this is unchanged.</summary>
    public int GenerationOf(int slot) => Volatile.Read(ref _generations[slot]);

    /// <summary>Adds or refreshes the connection of <paramref name="message"/>; its WAN is resolved when it is new or its mark changed.</summary>
    public void Upsert(in ConntrackMessage message, IConnectionWanResolver resolver) => Upsert(message, resolver, out _);

    /// <summary>As <see cref="Upsert(in ConntrackMessage, IConnectionWanResolver)"/>, handing back the connection as it now is.</summary>
    public void Upsert(in ConntrackMessage message, IConnectionWanResolver resolver, out ConntrackEntry result)
    {
        lock (Gate)
        {
            var slot = FindOriginal(message.Original);
            if (slot == None)
                slot = Insert(message, resolver);
            ref var entry = ref _entries[slot];
            entry.Epoch = _epoch;
            Touch(slot);
            if (message.HasMark && message.Mark != entry.Mark)
            {
                entry.Mark = message.Mark;
                entry.Source = resolver.Resolve(entry.Original, entry.Reply, entry.Mark, out entry.Nic);
                Interlocked.Increment(ref _generations[slot]);
            }
            result = new ConntrackEntry(entry.Original, entry.Reply, entry.Mark, entry.Nic, entry.Source);
        }
    }

    /// <summary>Forgets the connection whose original tuple is <paramref name="original"/>; false when it was not tracked.</summary>
    public bool Remove(in ConntrackTuple original) => Remove(original, out _);

    /// <summary>As <see cref="Remove(in ConntrackTuple)"/>, handing back the connection as it was.</summary>
    public bool Remove(in ConntrackTuple original, out ConntrackEntry removed)
    {
        lock (Gate)
        {
            var slot = FindOriginal(original);
            if (slot == None)
            {
                removed = default;
                return false;
            }
            ref var e = ref _entries[slot];
            removed = new ConntrackEntry(e.Original, e.Reply, e.Mark, e.Nic, e.Source);
            Release(slot);
            return true;
        }
    }

    /// <summary>The connection <paramref name="packet"/> belongs to (its tuples either way round), with its slot and generation.</summary>
    public bool TryFind(in ConntrackTuple packet, out ConntrackEntry entry, out int slot, out int generation)
    {
        lock (Gate)
        {
            var link = _buckets[(int)packet.UndirectedHash() & _mask];
            while (link != None)
            {
                ref var e = ref _entries[link >> 1];
                var reply = (link & 1) == 1;
                if ((reply ? e.Reply : e.Original).SameConnection(packet))
                {
                    slot = link >> 1;
                    generation = _generations[slot];
                    entry = new ConntrackEntry(e.Original, e.Reply, e.Mark, e.Nic, e.Source);
                    return true;
                }
                link = reply ? e.NextReply : e.NextOriginal;
            }
        }
        entry = default;
        slot = generation = None;
        return false;
    }

    /// <summary>Starts a full re-read (after lost events): connections the re-read does not refresh are dropped by <see cref="EndResync"/>.</summary>
    public void BeginResync()
    {
        lock (Gate)
            _epoch++;
    }

    /// <summary>Drops the connections the re-read since <see cref="BeginResync"/> did not see; returns how many.</summary>
    public int EndResync()
    {
        var dropped = 0;
        lock (Gate)
        {
            for (var slot = _oldest; slot != None;)
            {
                var newer = _entries[slot].Newer;
                if (_entries[slot].Epoch != _epoch)
                {
                    Release(slot);
                    dropped++;
                }
                slot = newer;
            }
        }
        return dropped;
    }

    /// <summary>Every tracked connection, for tests and diagnostics (allocates).</summary>
    public List<ConntrackEntry> ToList()
    {
        var list = new List<ConntrackEntry>();
        lock (Gate)
        {
            for (var slot = _newest; slot != None; slot = _entries[slot].Older)
            {
                ref var e = ref _entries[slot];
                list.Add(new ConntrackEntry(e.Original, e.Reply, e.Mark, e.Nic, e.Source));
            }
        }
        return list;
    }

    private int Insert(in ConntrackMessage message, IConnectionWanResolver resolver)
    {
        var slot = Allocate();
        ref var e = ref _entries[slot];
        e.Original = message.Original;
        e.Reply = message.Reply;
        e.Mark = message.Mark;
        e.Epoch = _epoch;
        e.Source = resolver.Resolve(e.Original, e.Reply, e.Mark, out e.Nic);
        Link(slot, reply: false);
        if (e.Reply.SameConnection(e.Original))
            e.NextReply = NotLinked;
        else
            Link(slot, reply: true);
        PushNewest(slot);
        Count++;
        Interlocked.Increment(ref _generations[slot]);
        Interlocked.Increment(ref _inserts);
        return slot;
    }

    private int Allocate()
    {
        if (_free != None)
        {
            var slot = _free;
            _free = _entries[slot].Older;
            return slot;
        }
        if (_unused == _entries.Length && _entries.Length < MaxEntries)
            Array.Resize(ref _entries, (int)Math.Min(MaxEntries, 2L * _entries.Length)); // slots keep their index
        if (_unused < _entries.Length)
            return _unused++;
        var oldest = _oldest;
        Release(oldest);
        Evictions++;
        _free = _entries[oldest].Older;
        return oldest;
    }

    private void Release(int slot)
    {
        Unlink(slot, reply: false);
        if (_entries[slot].NextReply != NotLinked)
            Unlink(slot, reply: true);
        Detach(slot);
        Count--;
        Interlocked.Increment(ref _generations[slot]);
        _entries[slot] = default;
        _entries[slot].Older = _free;
        _free = slot;
    }

    private int FindOriginal(in ConntrackTuple original)
    {
        var link = _buckets[(int)original.UndirectedHash() & _mask];
        while (link != None)
        {
            ref var e = ref _entries[link >> 1];
            var reply = (link & 1) == 1;
            if (!reply && e.Original.Equals(original))
                return link >> 1;
            link = reply ? e.NextReply : e.NextOriginal;
        }
        return None;
    }

    private void Link(int slot, bool reply)
    {
        ref var e = ref _entries[slot];
        ref var head = ref _buckets[(int)(reply ? e.Reply : e.Original).UndirectedHash() & _mask];
        if (reply)
            e.NextReply = head;
        else
            e.NextOriginal = head;
        head = (slot << 1) | (reply ? 1 : 0);
    }

    private void Unlink(int slot, bool reply)
    {
        ref var e = ref _entries[slot];
        var target = (slot << 1) | (reply ? 1 : 0);
        ref var link = ref _buckets[(int)(reply ? e.Reply : e.Original).UndirectedHash() & _mask];
        while (link != None)
        {
            if (link == target)
            {
                link = reply ? e.NextReply : e.NextOriginal;
                return;
            }
            ref var other = ref _entries[link >> 1];
            link = ref (link & 1) == 1 ? ref other.NextReply : ref other.NextOriginal;
        }
    }

    private void Touch(int slot)
    {
        if (slot == _newest)
            return;
        Detach(slot);
        PushNewest(slot);
    }

    private void PushNewest(int slot)
    {
        ref var e = ref _entries[slot];
        e.Newer = None;
        e.Older = _newest;
        if (_newest != None)
            _entries[_newest].Newer = slot;
        _newest = slot;
        if (_oldest == None)
            _oldest = slot;
    }

    private void Detach(int slot)
    {
        ref var e = ref _entries[slot];
        if (e.Newer != None)
            _entries[e.Newer].Older = e.Older;
        else
            _newest = e.Older;
        if (e.Older != None)
            _entries[e.Older].Newer = e.Newer;
        else
            _oldest = e.Newer;
    }

    private struct Entry
    {
        public ConntrackTuple Original;
        public ConntrackTuple Reply;
        public uint Mark;
        public int NextOriginal;
        public int NextReply;
        public int Newer;
        public int Older; // also the free list's link
        public int Epoch;
        public byte Nic;
        public AttributionSource Source;
    }
}
