using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Server.Traffic;

/// <summary>A host that was among a WAN's busiest within <see cref="RecentHosts.Span"/> and is idle now: its rates when last active, and when that was.</summary>
public sealed record IdleHost(HostTraffic Last, DateTimeOffset LastActiveAt);

/// <summary>
/// One WAN's busiest hosts of the last minute, so that the live table does not empty the moment traffic stops: each
/// tick the <see cref="Tracked"/> busiest active hosts are remembered with their rates; those not active now are
/// listed idle until a minute has passed since they were. Bounded: at most <see cref="Tracked"/> hosts are kept.
/// One writer (the aggregator).
/// </summary>
public sealed class RecentHosts
{
    public const int Tracked = 20;
    public static readonly TimeSpan Span = TimeSpan.FromMinutes(1);
    private readonly Dictionary<IpAddr, IdleHost> _seen = [];

    /// <summary>Takes this tick's hosts (busiest first); returns the remembered hosts idle now, most recently active first.</summary>
    public IReadOnlyList<IdleHost> Update(IReadOnlyList<HostTraffic> hosts, DateTimeOffset now)
    {
        var active = new HashSet<IpAddr>();
        foreach (var host in hosts)
        {
            if (host.TotalBps <= 0)
                continue;
            active.Add(host.Ip);
            if (active.Count <= Tracked)
                _seen[host.Ip] = new IdleHost(host, now);
        }
        foreach (var gone in _seen.Where(s => now - s.Value.LastActiveAt > Span).Select(s => s.Key).ToList())
            _seen.Remove(gone);
        if (_seen.Count > Tracked)
        {
            foreach (var extra in _seen.OrderByDescending(s => s.Value.LastActiveAt).ThenByDescending(s => s.Value.Last.TotalBps).Skip(Tracked).Select(s => s.Key).ToList())
                _seen.Remove(extra);
        }
        return [.. _seen.Values.Where(s => !active.Contains(s.Last.Ip)).OrderByDescending(s => s.LastActiveAt).ThenByDescending(s => s.Last.TotalBps)];
    }
}
