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
    /// <param name="router">null: this router's and the watched ones'; empty: this router's; else that watched router's.</param>
    public static IAsyncEnumerable<Incident> MergedAsync(HistoryQueries queries, MonitorState monitor, FleetState fleet, string? router,
        DateTimeOffset from, DateTimeOffset to, string? nic, CancellationToken cancellationToken) =>
        Merged(queries, monitor.Incidents().Concat(fleet.Incidents()), router, from, to, nic, cancellationToken);

    /// <summary>This router's own incidents (the dashboard's pages).</summary>
    public static IAsyncEnumerable<Incident> MergedAsync(HistoryQueries queries, MonitorState monitor, DateTimeOffset from, DateTimeOffset to,
        string? nic, CancellationToken cancellationToken) =>
        Merged(queries, monitor.Incidents(), "", from, to, nic, cancellationToken);

    private static async IAsyncEnumerable<Incident> Merged(HistoryQueries queries, IEnumerable<Incident> thisRun, string? router,
        DateTimeOffset from, DateTimeOffset to, string? nic, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var recent = thisRun.Where(i => (router is null || i.Router == router) && (nic is null || i.Nic == nic) && i.StartedAt <= to && (i.EndedAt is null || i.EndedAt >= from))
            .ToDictionary(i => i.Id);
        if (queries.Ready)
        {
            await foreach (var stored in queries.IncidentsAsync(from, to, nic, cancellationToken, router))
                yield return recent.Remove(stored.Id, out var fresher) ? fresher : stored;
        }
        foreach (var unflushed in recent.Values.OrderBy(i => i.StartedAt).ThenBy(i => i.Id))
            yield return unflushed;
    }

    /// <summary>One incident: this run's copy if it has one, else the database's.</summary>
    public static async Task<Incident?> FindAsync(HistoryQueries queries, MonitorState monitor, long id, CancellationToken cancellationToken) =>
        monitor.Incident(id) ?? (queries.Ready ? await queries.IncidentAsync(id, cancellationToken) : null);
}
