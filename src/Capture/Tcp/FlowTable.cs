using System.Numerics;
using System.Runtime.CompilerServices;

namespace RoutingFlow.Capture.Tcp;

/// <summary>
/// The flows of one capture: a dense array of <see cref="TcpFlow"/> (about 230 bytes each) with chained hash buckets
/// (4 bytes per flow) and two recency lists threaded through the flows — open flows and flows that saw a FIN or RST —
/// so that idle flows and, at the cap, the least recently active one are found at a list's tail in O(1), without a
/// scan. A flow moves to the front of its list at most once every ~1 s of capture time (<see cref="TcpFlow.TouchedTick"/>),
/// so the lists are in order of activity to within a second. The array grows by doubling up to <see cref="MaxFlows"/>
/// and never shrinks; freed slots are reused. One writer (the capture thread).
/// </summary>
public sealed class FlowTable
{
    private const int None = -1;
    private TcpFlow[] _flows;
    private int[] _buckets;
    private int _mask;
    private int _used;
    private int _free = None;
    private List _open = List.Empty;
    private List _closed = List.Empty;

    public FlowTable(int maxFlows, int initialFlows = 1_024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFlows, 1);
        MaxFlows = maxFlows;
        _flows = new TcpFlow[Math.Min(initialFlows, maxFlows)];
        _buckets = NewBuckets(_flows.Length);
        _mask = _buckets.Length - 1;
    }

    public int MaxFlows { get; }

    public int Count { get; private set; }

    /// <summary>Flow slots allocated now.</summary>
    public int Capacity => _flows.Length;

    /// <summary>Bytes the table holds for its flows: the flow array and the buckets.</summary>
    public long AllocatedBytes => ((long)_flows.Length * Unsafe.SizeOf<TcpFlow>()) + ((long)_buckets.Length * sizeof(int));

    public ref TcpFlow this[int index] => ref _flows[index];

    /// <summary>The least recently active open flow, or -1.</summary>
    public int OldestOpen => _open.Tail;

    /// <summary>The least recently active closed flow, or -1.</summary>
    public int OldestClosed => _closed.Tail;

    /// <summary>Every slot index in use, in no particular order (for a publication's scan).</summary>
    public int HighWater => _used;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(in FlowKey key, ulong hash)
    {
        for (var i = _buckets[(int)hash & _mask]; i != None; i = _flows[i].HashNext)
        {
            if (_flows[i].Key.Equals(key))
                return i;
        }
        return None;
    }

    /// <summary>Adds a flow as the most recent open one; -1 when the table is at <see cref="MaxFlows"/>.</summary>
    public int Add(in FlowKey key, ulong hash, long micros)
    {
        if (Count == MaxFlows)
            return None;
        if (_free == None && _used == _flows.Length)
            Grow();
        int index;
        if (_free != None)
            (index, _free) = (_free, _flows[_free].Next);
        else
            index = _used++;
        ref var flow = ref _flows[index];
        flow = default;
        flow.Key = key;
        flow.Flags = FlowFlags.InUse;
        flow.HandshakeRttMicros = -1;
        flow.TouchedTick = (ushort)(micros >> 20);
        flow.A.WindowScale = flow.B.WindowScale = -1;
        ref var bucket = ref _buckets[(int)hash & _mask];
        flow.HashNext = bucket;
        bucket = index;
        PushFront(ref _open, index);
        Count++;
        return index;
    }

    /// <summary>Makes the flow the most recent of its list, unless it already moved within this ~1 s tick.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Touch(int index, long micros)
    {
        var tick = (ushort)(micros >> 20);
        ref var flow = ref _flows[index];
        if (flow.TouchedTick == tick)
            return;
        flow.TouchedTick = tick;
        ref var list = ref ListOf(index);
        if (list.Head == index)
            return;
        Unlink(ref list, index);
        PushFront(ref list, index);
    }

    /// <summary>Moves an open flow to the closed list (a FIN or RST was seen).</summary>
    public void Close(int index)
    {
        ref var flow = ref _flows[index];
        if ((flow.Flags & FlowFlags.Closed) != 0)
            return;
        Unlink(ref _open, index);
        flow.Flags |= FlowFlags.Closed;
        PushFront(ref _closed, index);
    }

    public void Remove(int index)
    {
        ref var flow = ref _flows[index];
        Unlink(ref ListOf(index), index);
        ref var link = ref _buckets[(int)flow.Key.Hash() & _mask];
        while (link != index)
            link = ref _flows[link].HashNext;
        link = flow.HashNext;
        flow.Flags = FlowFlags.None;
        flow.Next = _free;
        _free = index;
        Count--;
    }

    public bool InUse(int index) => (_flows[index].Flags & FlowFlags.InUse) != 0;

    private ref List ListOf(int index) => ref (_flows[index].Flags & FlowFlags.Closed) != 0 ? ref _closed : ref _open;

    private void PushFront(ref List list, int index)
    {
        ref var flow = ref _flows[index];
        flow.Prev = None;
        flow.Next = list.Head;
        if (list.Head != None)
            _flows[list.Head].Prev = index;
        list.Head = index;
        if (list.Tail == None)
            list.Tail = index;
    }

    private void Unlink(ref List list, int index)
    {
        ref var flow = ref _flows[index];
        if (flow.Prev != None)
            _flows[flow.Prev].Next = flow.Next;
        else
            list.Head = flow.Next;
        if (flow.Next != None)
            _flows[flow.Next].Prev = flow.Prev;
        else
            list.Tail = flow.Prev;
    }

    private void Grow()
    {
        var size = (int)Math.Min(MaxFlows, (long)_flows.Length * 2);
        Array.Resize(ref _flows, size);
        _buckets = NewBuckets(size);
        _mask = _buckets.Length - 1;
        for (var i = 0; i < _used; i++)
        {
            ref var flow = ref _flows[i];
            if ((flow.Flags & FlowFlags.InUse) == 0)
                continue;
            ref var bucket = ref _buckets[(int)flow.Key.Hash() & _mask];
            flow.HashNext = bucket;
            bucket = i;
        }
    }

    /// <summary>One bucket per flow slot, rounded up to a power of two.</summary>
    private static int[] NewBuckets(int flows)
    {
        var buckets = new int[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(flows, 16))];
        Array.Fill(buckets, None);
        return buckets;
    }

    private struct List
    {
        public static readonly List Empty = new() { Head = None, Tail = None };
        public int Head;
        public int Tail;
    }
}
