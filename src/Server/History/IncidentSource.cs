using System.Runtime.CompilerServices;
using RoutingFlow.Server.Fleet;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage;

namespace RoutingFlow.Server.History;

/// <summary>
/// Incidents overlapping a range, oldest first: the database's, with this run's fresher copies (an open incident's
/// last updates wait for the next flush) in their place, then this run's not yet written. The API and the pages read it.
/// </summary>
public static class IncidentSource
{
    /// <param name="router">null: this router's and the fleet's; empty: this router's; else that watched router's (the fleet's are this run's, newest 1,000).</param>
    public static async IAsyncEnumerable<Incident> MergedAsync(HistoryQueries queries, MonitorState monitor, FleetState fleet, string? router,
        DateTimeOffset from, DateTimeOffset to, string? nic, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watched = new Queue<Incident>(router is { Length: 0 } ? [] : fleet.Incidents(router)
            .Where(i => (nic is null || i.Nic == nic) && i.StartedAt <= to && (i.EndedAt is null || i.EndedAt >= from))
            .OrderBy(i => i.StartedAt).ThenBy(i => i.Id));
        if (router is null)
        {
            await foreach (var local in MergedAsync(queries, monitor, from, to, nic, cancellationToken))
            {
                while (watched.Count > 0 && watched.Peek().StartedAt < local.StartedAt)
                    yield return watched.Dequeue();
                yield return local;
            }
        }
        while (watched.Count > 0)
            yield return watched.Dequeue();
    }

    public static async IAsyncEnumerable<Incident> MergedAsync(HistoryQueries queries, MonitorState monitor, DateTimeOffset from, DateTimeOffset to,
        string? nic, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var recent = monitor.Incidents().Where(i => (nic is null || i.Nic == nic) && i.StartedAt <= to && (i.EndedAt is null || i.EndedAt >= from))
            .ToDictionary(i => i.Id);
        if (queries.Ready)
        {
            await foreach (var stored in queries.IncidentsAsync(from, to, nic, cancellationToken))
                yield return recent.Remove(stored.Id, out var fresher) ? fresher : stored;
        }
        foreach (var unflushed in recent.Values.OrderBy(i => i.StartedAt).ThenBy(i => i.Id))
            yield return unflushed;
    }

    /// <summary>One incident: this run's copy if it has one, else the database's.</summary>
    public static async Task<Incident?> FindAsync(HistoryQueries queries, MonitorState monitor, long id, CancellationToken cancellationToken) =>
        monitor.Incident(id) ?? (queries.Ready ? await queries.IncidentAsync(id, cancellationToken) : null);
}
