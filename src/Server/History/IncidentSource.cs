using System.Runtime.CompilerServices;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage;

namespace RoutingFlow.Server.History;

/// <summary>
/// Incidents overlapping a range, oldest first: the database's, with this run's fresher copies (an open incident's
/// last updates wait for the next flush) in their place, then this run's not yet written. The API and the pages read it.
/// </summary>
public static class IncidentSource
{
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
