using RoutingFlow.Capture.Addressing;
using RoutingFlow.Server.Traffic;

namespace RoutingFlow.Server.Storage;

/// <summary>
/// One WAN's bytes per IP within the current minute, added up each monitor tick from the hosts' cumulative counters:
/// a host that goes idle (and leaves the live table) before the minute ends keeps the bytes it carried in it. The
/// first tick only sets the starting point; a counter that went backwards (the host was forgotten and seen again)
/// counts from zero. Names are the last the host had in the minute.
/// </summary>
internal sealed class IpMinuteAccumulator
{
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
            var (rx, tx) = _last.TryGetValue(h.Ip, out var before)
                ? (h.RxBytes >= before.Rx ? h.RxBytes - before.Rx : h.RxBytes, h.TxBytes >= before.Tx ? h.TxBytes - before.Tx : h.TxBytes)
                : first ? (0, 0) : (h.RxBytes, h.TxBytes); // new since the last tick: all its bytes are
            _last[h.Ip] = (h.RxBytes, h.TxBytes, _tick);
            if (rx + tx > 0)
            {
                var sum = _minute.GetValueOrDefault(h.Ip);
                _minute[h.Ip] = (sum.Rx + rx, sum.Tx + tx, h.Name ?? sum.Name);
            }
        }
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

    /// <summary>Forgets the hosts the live table no longer holds (their next counters start again from zero).</summary>
    private void Prune()
    {
        if (_last.Count == 0)
            return;
        foreach (var (ip, last) in _last)
        {
            if (last.Tick != _tick)
                _gone.Add(ip);
        }
        foreach (var ip in _gone)
            _last.Remove(ip);
        _gone.Clear();
    }
}
