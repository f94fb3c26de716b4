using System.Runtime.InteropServices;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Server.Traffic;

namespace RoutingFlow.Server.Storage;

/// <summary>
/// One WAN's bytes per IP within the current minute, added up each monitor tick from the hosts' cumulative counters:
/// a host that goes idle (and leaves the live table) before the minute ends keeps the bytes it carried in it. The
/// first tick only sets the starting point. A host not seen before counts all its bytes (its counters started since
/// the last tick). A host missing for a while (its capture restarting) keeps its starting point for
/// <see cref="ForgetAfterTicks"/> ticks, so its return does not count its whole history again; a counter that went
/// backwards (the host forgotten by the capture, or one of two captures gone) counts nothing that tick and starts
/// again from there: an undercount of at most one tick, never an invented one. Names are the last the host had.
/// </summary>
internal sealed class IpMinuteAccumulator
{
    /// <summary>An hour of one-second ticks.</summary>
    public const int ForgetAfterTicks = 3600;

    private const int PruneEvery = 60;
    private readonly Dictionary<IpAddr, (long Rx, long Tx, long Tick)> _last = [];
    private readonly Dictionary<IpAddr, (long Rx, long Tx, string? Name)> _minute = [];
    private readonly List<IpAddr> _gone = [];
    private long _tick;

    public void Add(IReadOnlyList<HostTraffic> hosts)
    {
        var first = _tick++ == 0;
        for (var i = 0; i < hosts.Count; i++) // by index: no enumerator per tick
        {
            var h = hosts[i];
            ref var last = ref CollectionsMarshal.GetValueRefOrAddDefault(_last, h.Ip, out var known);
            var (rx, tx) = known
                ? (Delta(h.RxBytes, last.Rx, h.TxBytes, last.Tx))
                : first ? (0, 0) : (h.RxBytes, h.TxBytes);
            last = (h.RxBytes, h.TxBytes, _tick);
            if (rx + tx > 0)
            {
                ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(_minute, h.Ip, out _);
                sum = (sum.Rx + rx, sum.Tx + tx, h.Name ?? sum.Name);
            }
        }
        if (_tick % PruneEvery == 0 && _last.Count > hosts.Count)
            Prune();
    }

    /// <summary>The minute's busiest <paramref name="top"/> IPs by rx + tx, and a new minute begins.</summary>
    public List<(IpAddr Ip, long Rx, long Tx, string? Name)> TakeTop(int top)
    {
        var rows = _minute.OrderByDescending(kv => kv.Value.Rx + kv.Value.Tx).ThenBy(kv => kv.Key).Take(top)
            .Select(kv => (kv.Key, kv.Value.Rx, kv.Value.Tx, kv.Value.Name)).ToList();
        _minute.Clear();
        return rows;
    }

    /// <summary>Both counters went forward: what they grew by; either went backwards: nothing (see the class).</summary>
    private static (long Rx, long Tx) Delta(long rx, long lastRx, long tx, long lastTx) =>
        rx >= lastRx && tx >= lastTx ? (rx - lastRx, tx - lastTx) : (0, 0);

    private void Prune()
    {
        foreach (var (ip, last) in _last)
        {
            if (_tick - last.Tick > ForgetAfterTicks)
                _gone.Add(ip);
        }
        foreach (var ip in _gone)
            _last.Remove(ip);
        _gone.Clear();
    }
}
