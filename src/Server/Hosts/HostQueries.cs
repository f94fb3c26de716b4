using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Protocols;
using RoutingFlow.Capture.Tcp;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage;
using RoutingFlow.Server.Tcp;
using RoutingFlow.Server.Traffic;

namespace RoutingFlow.Server.Hosts;

/// <summary>
/// Builds a <see cref="HostReport"/> from the stored minutes and incidents, the live traffic and TCP flows, and the
/// attached devices' counters for those flows; searches hosts by address or name.
/// </summary>
public sealed class HostQueries(HistoryQueries history, TrafficState traffic, TcpQueries tcp, Devices.DeviceRegistry devices, NameCache names, TimeProvider time)
{
    public const int MaxIncidents = 100;

    /// <summary>How far back the search looks through stored names (a scan of the stored minutes).</summary>
    public static readonly TimeSpan NamesSearched = TimeSpan.FromDays(7);

    public bool Ready => history.Ready;

    public async Task<HostReport> ReportAsync(IpAddr ip, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var text = ip.ToString();
        var minutes = await history.HostMinutesAsync(text, from, to, cancellationToken);
        var incidents = new Queue<HostIncident>();
        await foreach (var incident in history.IncidentsAsync(from, to, null, cancellationToken)) // oldest first
        {
            if (Naming(incident, text) is not { } named)
                continue;
            incidents.Enqueue(named);
            if (incidents.Count > MaxIncidents)
                incidents.Dequeue(); // the newest are kept
        }
        var flows = (await tcp.FlowsAsync(TcpAnalyzer.TopListLength, "bytes", cancellationToken)).Flows.Where(f => f.Client == text || f.Server == text).ToList();
        var counters = HostDevices.Match(flows, devices.Devices.Where(d => d.Latest is not null).Select(d => (d.Interface, d.Latest!.Counts.Entries)));
        return new HostReport(text, from, to, Names(ip, minutes), Wans(minutes), minutes, incidents.Reverse().ToList(), Live(ip), flows, counters);
    }

    /// <summary>
    /// An address (as typed, when it is one), else the hosts whose name contains <paramref name="query"/>: live ones
    /// and those names the cache holds, then stored ones; at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<HostMatch>> SearchAsync(string query, int limit, CancellationToken cancellationToken)
    {
        query = query.Trim();
        if (HostAddress.TryParse(query, out var ip))
            return [new HostMatch(ip.ToString(), null)];
        var found = new Dictionary<string, string>();
        foreach (var wan in traffic.Current.Wans)
        {
            foreach (var host in wan.Hosts)
            {
                if (host.Name is { } name && name.Contains(query, StringComparison.OrdinalIgnoreCase))
                    found.TryAdd(host.Ip.ToString(), name);
            }
        }
        foreach (var named in names.Snapshot(Micros(), 10_000))
        {
            if (named.Name.Contains(query, StringComparison.OrdinalIgnoreCase))
                found.TryAdd(named.Address.ToString(), named.Name);
        }
        if (history.Ready && found.Count < limit)
        {
            foreach (var (storedIp, name) in await history.NamedIpsAsync(query, time.GetUtcNow() - NamesSearched, limit, cancellationToken))
                found.TryAdd(storedIp, name);
        }
        return found.Take(limit).Select(kv => new HostMatch(kv.Key, kv.Value)).ToList();
    }

    private List<string> Names(IpAddr ip, List<HostMinute> minutes)
    {
        var seen = new List<string>();
        if (names.Lookup(ip, Micros()) is { } current)
            seen.Add(current);
        for (var i = minutes.Count - 1; i >= 0; i--) // newest first
        {
            if (minutes[i].Name is { } name && !seen.Contains(name))
                seen.Add(name);
        }
        return seen;
    }

    private static List<HostWan> Wans(List<HostMinute> minutes)
    {
        var total = Math.Max(1, minutes.Sum(m => m.RxBytes + m.TxBytes));
        return minutes.GroupBy(m => m.Nic)
            .Select(g => new HostWan(g.Key, g.Sum(m => m.RxBytes), g.Sum(m => m.TxBytes), (double)g.Sum(m => m.RxBytes + m.TxBytes) / total))
            .OrderByDescending(w => w.RxBytes + w.TxBytes).ToList();
    }

    private List<HostLive> Live(IpAddr ip)
    {
        var live = new List<HostLive>();
        foreach (var wan in traffic.Current.Wans)
        {
            foreach (var host in wan.Hosts)
            {
                if (host.Ip == ip)
                    live.Add(new HostLive(wan.Nic, host.RxBps, host.TxBps));
            }
        }
        return live;
    }

    /// <summary>How an incident named the host: as a culprit (with its share), else among the top rx or tx; null when it did not.</summary>
    private static HostIncident? Naming(Incident incident, string ip)
    {
        HostIncident Make(string direction, double bps, double? share) =>
            new(incident.Id, incident.Nic, incident.State, incident.StartedAt, incident.EndedAt, direction, bps, share);
        foreach (var c in incident.Culprits)
        {
            if (c.Ip == ip)
                return Make(c.Direction, c.Bps, c.Share);
        }
        foreach (var (list, direction) in new[] { (incident.TopRx, "rx"), (incident.TopTx, "tx") })
        {
            foreach (var r in list)
            {
                if (r.Ip == ip)
                    return Make(direction, r.Bps, null);
            }
        }
        return null;
    }

    private long Micros() => time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
}
