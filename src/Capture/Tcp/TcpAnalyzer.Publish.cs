using RoutingFlow.Capture.Pipeline;

namespace RoutingFlow.Capture.Tcp;

// Publication: idle flows expire, the counters are copied, and the top flows are ranked when someone asked.
public sealed partial class TcpAnalyzer
{
    /// <summary>Flows in each published top list.</summary>
    public const int TopListLength = 100;

    private long _expired;

    public void Publish(in PublishTime time)
    {
        Expire(time.WallMicros);
        TimeOutAttempts(time.WallMicros);
        var top = Environment.TickCount64 < Volatile.Read(ref _topRequestedUntil) ? Top(TopListLength) : null;
        _latest = new TcpSnapshot(time.MonotonicMicros, _counters, PerNic(), GapBytes.Snapshot(), HandshakeRtt.Snapshot(),
            AckRtt.Snapshot(), _flows.Count, MeanWindow, _expired, top, Connections());
    }

    /// <summary>The connection attempts so far, with the set-up times' mean, median and 95th percentile.</summary>
    public ConnectionSummary Connections()
    {
        var percentiles = SetupTimes.Percentiles(0.5, 0.95);
        var c = _counters;
        return new ConnectionSummary(c.ConnectAttempts, c.ConnectSuccesses, c.ConnectRefused, c.ConnectTimedOut, _pending.Count,
            SetupTimes.Mean, percentiles[0], percentiles[1]);
    }

    /// <summary>Attempts whose SYN got no SYN/ACK (nor RST) within the connect timeout fail now.</summary>
    private void TimeOutAttempts(long nowMicros)
    {
        _counters.PendingOverflows = _pending.Overflows;
        while (_pending.TryTakeExpired(nowMicros, out var index, out var hash))
        {
            if (!_flows.InUse(index))
                continue;
            ref var flow = ref _flows[index];
            if ((flow.Flags & (FlowFlags.Attempted | FlowFlags.SynAckSeen | FlowFlags.Failed)) != FlowFlags.Attempted || _flows.KeyAt(index).Hash() != hash)
                continue;
            flow.Flags |= FlowFlags.Failed;
            _counters.ConnectTimedOut++;
            _perNic[flow.Nic].ConnectTimedOut++;
        }
    }

    /// <summary>The mean scaled window last advertised by each side of the flows tracked now (0 when none).</summary>
    public double MeanWindow => _windowCount == 0 ? 0 : (double)_windowSum / _windowCount;

    /// <summary>The top flows by each ranking. On the owning thread only (the capture thread, or after an offline run).</summary>
    public TopFlowLists Top(int count) =>
        new(TopFlows(count, FlowSort.Loss), TopFlows(count, FlowSort.Bytes), TopFlows(count, FlowSort.Window));

    /// <summary>The <paramref name="count"/> flows ranked first by <paramref name="sort"/> (owning thread only).</summary>
    public List<TcpFlowView> TopFlows(int count, FlowSort sort)
    {
        var heap = new PriorityQueue<int, (long, long)>(count + 1);
        for (var i = 0; i < _flows.HighWater; i++)
        {
            if (!_flows.InUse(i) || Rank(_flows[i], sort) is not { } rank)
                continue;
            heap.Enqueue(i, rank);
            if (heap.Count > count)
                heap.Dequeue(); // the lowest-ranked so far
        }
        var views = new List<TcpFlowView>(heap.Count);
        while (heap.TryDequeue(out var index, out _))
            views.Add(View(_flows.KeyAt(index), _flows[index]));
        views.Reverse();
        return views;
    }

    /// <summary>Larger ranks first; null leaves the flow out (no loss, or no window yet).</summary>
    private static (long, long)? Rank(in TcpFlow flow, FlowSort sort) => sort switch
    {
        FlowSort.Loss when flow.LossEvents > 0 => (flow.LossEvents, flow.Bytes),
        FlowSort.Bytes => (flow.Bytes, flow.Packets),
        FlowSort.Window when flow.A.HasWindow || flow.B.HasWindow => (-SmallestWindow(flow), flow.Bytes),
        _ => null,
    };

    private static long SmallestWindow(in TcpFlow flow) =>
        Math.Min(flow.A.HasWindow ? flow.A.LastWindow : uint.MaxValue, flow.B.HasWindow ? flow.B.LastWindow : uint.MaxValue);

    private static TcpFlowView View(in FlowKey key, in TcpFlow flow)
    {
        var clientIsB = (flow.Flags & FlowFlags.ClientIsB) != 0;
        ref readonly var client = ref clientIsB ? ref flow.B : ref flow.A;
        ref readonly var server = ref clientIsB ? ref flow.A : ref flow.B;
        return new TcpFlowView(clientIsB ? key.B : key.A, clientIsB ? key.BPort : key.APort, clientIsB ? key.A : key.B,
            clientIsB ? key.APort : key.BPort, flow.Nic, flow.Packets, flow.Bytes, flow.Missing, flow.Duplicate, flow.OutOfOrder,
            flow.WindowShrink, flow.ZeroWindow, client.HasWindow ? client.LastWindow : null, server.HasWindow ? server.LastWindow : null,
            flow.HandshakeRttMicros >= 0 ? flow.HandshakeRttMicros / 1e6 : null, (flow.Flags & FlowFlags.Closed) != 0);
    }

    private List<NicTcpShare> PerNic()
    {
        var shares = new List<NicTcpShare>();
        for (var i = 0; i < _perNic.Length; i++)
        {
            if (_perNic[i].Packets > 0)
                shares.Add(new NicTcpShare((byte)i, _perNic[i]));
        }
        return shares;
    }

    /// <summary>Forgets flows idle past their timeout: open ones after <c>IdleTimeout</c>, closed ones after <c>ClosedTimeout</c>.</summary>
    private void Expire(long nowMicros)
    {
        for (var i = _flows.OldestOpen; i >= 0 && _flows[i].LastSeenMicros < nowMicros - _idleMicros; i = _flows.OldestOpen)
            Forget(i, evicted: false);
        for (var i = _flows.OldestClosed; i >= 0 && _flows[i].LastSeenMicros < nowMicros - _closedMicros; i = _flows.OldestClosed)
            Forget(i, evicted: false);
    }

    /// <summary>Makes room at the cap: the least recently active flow, open or closed, goes (counted).</summary>
    private void EvictLeastRecent()
    {
        var (open, closed) = (_flows.OldestOpen, _flows.OldestClosed);
        var victim = open < 0 ? closed : closed < 0 ? open : _flows[closed].LastSeenMicros <= _flows[open].LastSeenMicros ? closed : open;
        Forget(victim, evicted: true);
    }

    private void Forget(int index, bool evicted)
    {
        ref var flow = ref _flows[index];
        Unwindow(flow.A);
        Unwindow(flow.B);
        if (evicted)
            _counters.FlowEvictions++;
        else
            _expired++;
        _flows.Remove(index);
    }

    private void Unwindow(in TcpDirection direction)
    {
        if (!direction.HasWindow)
            return;
        _windowSum -= direction.LastWindow;
        _windowCount--;
    }
}
