using Microsoft.EntityFrameworkCore;
using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Server.Storage;

/// <summary>One WAN at one time (a second, or a minute's averages with their range), bits/s.</summary>
public sealed record HistoryPoint(
    string Nic,
    DateTimeOffset Time,
    double? CapacityRxBps,
    double? CapacityTxBps,
    double ActualRxBps,
    double ActualTxBps,
    double? ActualRxMinBps = null,
    double? ActualRxMaxBps = null,
    double? ActualTxMinBps = null,
    double? ActualTxMaxBps = null)
{
    /// <summary>The router: empty for this one's own, a watched router's label otherwise.</summary>
    public string Router { get; init; } = "";

    /// <summary>A per-second sample's TCP segments on the WAN meanwhile (null: none counted, or a minute's average).</summary>
    public RoutingFlow.Server.Tcp.TcpLossCounts? Tcp { get; init; }
}

/// <summary>An operator change that explains a step in the history (<see cref="HistoryEvent"/> kinds); Nic null: every WAN.</summary>
public sealed record HistoryEvent(DateTimeOffset Time, string? Nic, string Kind, string Text, double? OldValue, double? NewValue)
{
    /// <summary>The correction factor was set.</summary>
    public const string Correction = "correction";

    /// <summary>The capacity's units changed on an upgrade (goodput to wire bits): the history steps there.</summary>
    public const string Units = "units";
}

/// <summary>An IP's bytes on a WAN over a range (from the per-minute top IPs), with a name stored with its minutes.</summary>
public sealed record IpTotal(string Ip, long RxBytes, long TxBytes, string? Name = null);

/// <summary>One host's bytes on one WAN in one minute (it was among that WAN's busiest), and its name then.</summary>
public sealed record HostMinute(DateTimeOffset Time, string Nic, long RxBytes, long TxBytes, string? Name);

/// <summary>
/// Reads the history, streamed row by row (constant memory over any range): no tracking, ordered by time. Rows
/// become records here; entities stay in Storage.
/// </summary>
public sealed class HistoryQueries(IDbContextFactory<RoutingFlowDb> factory, StorageSchema schema)
{
    public bool Ready => schema.Ready;

    /// <param name="router">Empty (the default): this router's own; null: every router's; else that watched router's.</param>
    public async IAsyncEnumerable<Incident> IncidentsAsync(DateTimeOffset from, DateTimeOffset to, string? nic,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, string? router = "")
    {
        var (start, end) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = db.Incidents.AsNoTracking().Where(i => i.StartedAt <= end && (i.EndedAt == null || i.EndedAt >= start));
        if (nic is not null)
            rows = rows.Where(i => i.Nic == nic);
        if (router is not null)
            rows = rows.Where(i => i.Router == router);
        await foreach (var row in rows.OrderBy(i => i.StartedAt).ThenBy(i => i.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
            yield return IncidentRows.ToIncident(row);
    }

    public async Task<Incident?> IncidentAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        return row is null ? null : IncidentRows.ToIncident(row);
    }

    public async Task<bool> DeleteIncidentAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Incidents.Where(i => i.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    /// <summary>The events in the range that concern <paramref name="nic"/> (or every WAN), oldest first; at most 1,000.</summary>
    public async Task<List<HistoryEvent>> EventsAsync(string? nic, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var (start, end) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = db.Events.AsNoTracking().Where(e => e.Time >= start && e.Time <= end);
        if (nic is not null)
            rows = rows.Where(e => e.Nic == null || e.Nic == nic);
        var list = await rows.OrderBy(e => e.Time).ThenBy(e => e.Id).Take(1000).ToListAsync(cancellationToken);
        return list.ConvertAll(e => new HistoryEvent(IncidentRows.Time(e.Time), e.Nic, e.Kind, e.Text, e.OldValue, e.NewValue));
    }

    /// <summary>The probes' RTTs on an interface over the range (successful probes with an RTT), oldest first, seconds.</summary>
    public async Task<List<(DateTimeOffset Time, double Seconds)>> ProbeRttsAsync(string itf, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var (start, end) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ProbeResults.AsNoTracking().Where(p => p.Interface == itf && p.Time >= start && p.Time <= end && p.RttSeconds != null)
            .OrderBy(p => p.Time).Select(p => new { p.Time, Seconds = p.RttSeconds!.Value }).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => (IncidentRows.Time(r.Time), r.Seconds));
    }

    /// <param name="router">Empty (the default): this router's own; null: every router's; else that watched router's.</param>
    public async IAsyncEnumerable<HistoryPoint> RawAsync(string? nic, DateTimeOffset from, DateTimeOffset to,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, string? router = "")
    {
        var (start, end) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = db.WanSamples.AsNoTracking().Where(s => s.Time >= start && s.Time <= end);
        if (nic is not null)
            rows = rows.Where(s => s.Nic == nic);
        if (router is not null)
            rows = rows.Where(s => s.Router == router);
        await foreach (var s in rows.OrderBy(s => s.Time).ThenBy(s => s.Router).ThenBy(s => s.Nic).AsAsyncEnumerable().WithCancellation(cancellationToken))
            yield return new HistoryPoint(s.Nic, IncidentRows.Time(s.Time), s.CapacityRx, s.CapacityTx, s.ActualRx, s.ActualTx)
            {
                Router = s.Router,
                Tcp = s.TcpSegments is { } segments ? new(segments, s.TcpMissing ?? 0, s.TcpRetransmitted ?? 0) : null,
            };
    }

    /// <param name="router">As <see cref="RawAsync"/>'s.</param>
    public async IAsyncEnumerable<HistoryPoint> MinutesAsync(string? nic, DateTimeOffset from, DateTimeOffset to,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, string? router = "")
    {
        var (start, end) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = db.WanRollups.AsNoTracking().Where(r => r.Minute >= start && r.Minute <= end);
        if (nic is not null)
            rows = rows.Where(r => r.Nic == nic);
        if (router is not null)
            rows = rows.Where(r => r.Router == router);
        await foreach (var r in rows.OrderBy(r => r.Minute).ThenBy(r => r.Router).ThenBy(r => r.Nic).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return new HistoryPoint(r.Nic, IncidentRows.Time(r.Minute), r.CapacityRxAvg, r.CapacityTxAvg, r.ActualRxAvg, r.ActualTxAvg,
                r.ActualRxMin, r.ActualRxMax, r.ActualTxMin, r.ActualTxMax) { Router = r.Router };
        }
    }

    /// <summary>
    /// The hosts that carried most over the range, from the per-minute top IPs: on one WAN, or summed over every WAN
    /// (<paramref name="nic"/> null); ranked by rx, tx or both (<paramref name="direction"/> rx, tx, total).
    /// </summary>
    /// <param name="router">Empty (the default): this router's hosts; else a watched router's (estimated from its top IPs' rates).</param>
    public async Task<List<IpTotal>> TalkersAsync(string? nic, DateTimeOffset from, DateTimeOffset to, string direction, int top, CancellationToken cancellationToken,
        string router = "")
    {
        var (start, end) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var totals = db.IpMinutes.AsNoTracking()
            .Where(m => m.Router == router && (nic == null || m.Nic == nic) && m.Minute >= start && m.Minute <= end)
            .GroupBy(m => m.Ip)
            .Select(g => new { Ip = g.Key, Rx = g.Sum(m => m.RxBytes), Tx = g.Sum(m => m.TxBytes), Name = g.Max(m => m.Name) });
        var ranked = direction switch
        {
            "rx" => totals.OrderByDescending(t => t.Rx),
            "tx" => totals.OrderByDescending(t => t.Tx),
            _ => totals.OrderByDescending(t => t.Rx + t.Tx),
        };
        var rows = await ranked.ThenBy(t => t.Ip).Take(top).ToListAsync(cancellationToken);
        return rows.Select(t => new IpTotal(t.Ip, t.Rx, t.Tx, t.Name)).ToList();
    }

    /// <summary>The minutes in which <paramref name="ip"/> was among a WAN's busiest, oldest first (at most the newest 100,000).</summary>
    public async Task<List<HostMinute>> HostMinutesAsync(string ip, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var (start, end) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.IpMinutes.AsNoTracking().Where(m => m.Router == "" && m.Ip == ip && m.Minute >= start && m.Minute <= end)
            .OrderByDescending(m => m.Minute).ThenByDescending(m => m.Nic).Take(100_000).ToListAsync(cancellationToken);
        rows.Reverse();
        return rows.ConvertAll(m => new HostMinute(IncidentRows.Time(m.Minute), m.Nic, m.RxBytes, m.TxBytes, m.Name));
    }

    /// <summary>IPs stored since <paramref name="since"/> whose name contains <paramref name="text"/> (case-insensitive), the most recent first.</summary>
    public async Task<List<(string Ip, string Name)>> NamedIpsAsync(string text, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        var start = since.ToUnixTimeMilliseconds();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var pattern = "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        var rows = await db.IpMinutes.AsNoTracking().Where(m => m.Router == "" && m.Minute >= start && m.Name != null && EF.Functions.Like(m.Name, pattern, "\\"))
            .GroupBy(m => new { m.Ip, m.Name }).Select(g => new { g.Key.Ip, g.Key.Name, Last = g.Max(m => m.Minute) })
            .OrderByDescending(g => g.Last).Take(limit).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => (r.Ip, r.Name!));
    }

    /// <summary>The busiest IPs of a WAN over the range by total bytes (of this router, or of a watched one).</summary>
    public async Task<List<IpTotal>> TopIpsAsync(string nic, DateTimeOffset from, DateTimeOffset to, int top, CancellationToken cancellationToken, string router = "")
    {
        var (start, end) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var totals = await db.IpMinutes.AsNoTracking()
            .Where(m => m.Router == router && m.Nic == nic && m.Minute >= start && m.Minute <= end)
            .GroupBy(m => m.Ip)
            .Select(g => new { Ip = g.Key, Rx = g.Sum(m => m.RxBytes), Tx = g.Sum(m => m.TxBytes) })
            .OrderByDescending(t => t.Rx + t.Tx).ThenBy(t => t.Ip)
            .Take(top)
            .ToListAsync(cancellationToken);
        return totals.Select(t => new IpTotal(t.Ip, t.Rx, t.Tx)).ToList();
    }
}
