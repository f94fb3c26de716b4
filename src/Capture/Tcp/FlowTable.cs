using RoutingFlow.Capture.Tables;

namespace RoutingFlow.Capture.Tcp;

/// <summary>
/// The flows of one capture: a <see cref="LruTable{TKey, TValue}"/> of <see cref="TcpFlow"/> (about 230 bytes a slot)
/// with two recency lists — open flows, and flows that saw a FIN or RST — so that idle flows of either kind and, at the
/// cap, the least recently active one are found at a list's tail. The array grows with the flows seen (doubling from
/// 1,024), not with the cap. One writer (the capture thread).
/// </summary>
public sealed class FlowTable(int maxFlows, int initialFlows = 1_024) : LruTable<FlowKey, TcpFlow>(maxFlows, initialFlows, lists: 2)
{
    private const int OpenList = 0;
    private const int ClosedList = 1;

    public int MaxFlows => MaxEntries;

    /// <summary>The least recently active open flow, or -1.</summary>
    public int OldestOpen => Oldest(OpenList);

    /// <summary>The least recently active closed flow, or -1.</summary>
    public int OldestClosed => Oldest(ClosedList);

    /// <summary>Adds a new flow as the most recent open one; -1 when the table is at <see cref="MaxFlows"/>.</summary>
    public int Open(in FlowKey key, ulong hash, long micros)
    {
        var index = Add(key, hash, micros, OpenList);
        if (index >= 0)
        {
            ref var flow = ref this[index];
            flow.HandshakeRttMicros = -1;
            flow.A.WindowScale = flow.B.WindowScale = -1;
        }
        return index;
    }

    /// <summary>Moves an open flow to the closed list (a FIN or RST was seen).</summary>
    public void Close(int index)
    {
        ref var flow = ref this[index];
        if ((flow.Flags & FlowFlags.Closed) != 0)
            return;
        flow.Flags |= FlowFlags.Closed;
        MoveTo(index, ClosedList);
    }
}
