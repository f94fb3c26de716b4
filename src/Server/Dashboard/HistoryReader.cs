using RoutingFlow.Server.History;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage;
using RoutingFlow.Web.Monitoring;

namespace RoutingFlow.Server.Dashboard;

/// <summary>The pages' reader of the stored history (this run's fresher incident copies over the database's).</summary>
public sealed class HistoryReader(HistoryQueries queries, MonitorState monitor, RoutingFlow.Capture.Configuration.RouterLayout layout,
    RoutingFlow.Capture.Protocols.NameCache names, TimeProvider time) : IHistoryReader
{
    private const int MaxIncidents = 1000;
    private static readonly TimeSpan RawUpTo = TimeSpan.FromHours(6);

    /// <summary>Samples (seconds) each point's loss ratio is summed over.</summary>
    private const int LossWindow = 10;

    public IReadOnlyList<string> Nics { get; } = [.. layout.NicNames];

    public async Task<IReadOnlyList<IncidentView>> IncidentsAsync(DateTimeOffset from, DateTimeOffset to, string? nic, CancellationToken cancellationToken)
    {
        var merged = new List<Incident>();
        await foreach (var incident in IncidentSource.MergedAsync(queries, monitor, from, to, nic, cancellationToken))
            merged.Add(incident);
        return merged.OrderByDescending(i => i.StartedAt).ThenByDescending(i => i.Id).Take(MaxIncidents).Select(MonitorFeed.View).ToList();
    }

    public async Task<IncidentView?> IncidentAsync(long id, CancellationToken cancellationToken)
    {
        var incident = await IncidentSource.FindAsync(queries, monitor, id, cancellationToken);
        return incident is null ? null : MonitorFeed.View(incident);
    }

    public async Task<IReadOnlyList<TalkerView>> TalkersAsync(string? nic, DateTimeOffset from, DateTimeOffset to, string direction, int top, CancellationToken cancellationToken)
    {
        if (!queries.Ready)
            return [];
        var seconds = Math.Max(1, (to - from).TotalSeconds);
        var now = time.GetUtcNow();
        var talkers = await queries.TalkersAsync(nic, from, to, direction, top, cancellationToken);
        return talkers.Select(t => new TalkerView(t.Ip, t.Name ?? TalkersApi.NameOf(names, t.Ip, now), t.RxBytes, t.TxBytes, t.RxBytes * 8 / seconds, t.TxBytes * 8 / seconds)).ToList();
    }

    public async Task<IReadOnlyList<HistoryEventView>> EventsAsync(string? nic, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        queries.Ready ? (await queries.EventsAsync(nic, from, to, cancellationToken)).ConvertAll(e => new HistoryEventView(e.Time, e.Kind, e.Text)) : [];

    public async Task<IReadOnlyList<ProbeRttView>> ProbeRttsAsync(string nic, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        queries.Ready && layout.Nics.FirstOrDefault(n => n.Name == nic)?.Interface is { } itf
            ? (await queries.ProbeRttsAsync(itf, from, to, cancellationToken)).ConvertAll(r => new ProbeRttView(r.Time, r.Seconds))
            : [];

    public async Task<IReadOnlyList<LoadPoint>> HistoryAsync(string nic, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (!queries.Ready)
            return [];
        var points = new List<LoadPoint>();
        var rows = to - from <= RawUpTo ? queries.RawAsync(nic, from, to, cancellationToken) : queries.MinutesAsync(nic, from, to, cancellationToken);
        var window = new Queue<Tcp.TcpLossCounts>();
        var sum = new Tcp.TcpLossCounts();
        await foreach (var p in rows)
        {
            double? loss = null;
            if (p.Tcp is { } tcp) // per second: summed over the last LossWindow samples, so that a few segments a second do not make a spike
            {
                window.Enqueue(tcp);
                sum += tcp;
                if (window.Count > LossWindow)
                    sum -= window.Dequeue();
                loss = sum.Ratio();
            }
            points.Add(new LoadPoint(p.Time, p.CapacityRxBps, p.CapacityTxBps, p.ActualRxBps, p.ActualTxBps) { LossRatio = loss });
        }
        return points;
    }
}
