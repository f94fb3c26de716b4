using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Server.Fleet;

/// <summary>Reads the whole fleet: the configured queries, asked at once (one per metric), grouped into a <see cref="FleetSample"/>.</summary>
public interface IFleetReader
{
    Task<FleetSample> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The fleet from Prometheus's query API.</summary>
public sealed class PrometheusFleetReader(FleetOptions options, MonitorOptions monitor, PrometheusClient prometheus) : IFleetReader
{
    public async Task<FleetSample> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var q = options.Queries;
        Task<List<KeyedSample>> Ask(string query, int top = 0) =>
            prometheus.QueryKeyedAsync(FleetQueries.Expand(query, options.RouterLabel, monitor.TopIps), options.RouterLabel, top, cancellationToken);
        var asked = new[] { Ask(q.CapacityRx), Ask(q.CapacityTx), Ask(q.ActualRx), Ask(q.ActualTx), Ask(q.TopRx, monitor.TopIps), Ask(q.TopTx, monitor.TopIps), Ask(q.LastSample) };
        List<KeyedSample>[] results;
        try
        {
            results = await Task.WhenAll(asked);
        }
        catch (PrometheusQueryException)
        {
            throw asked.Select(t => t.Exception?.InnerException).OfType<PrometheusQueryException>().First(); // the first query's error, not a random one
        }
        var answers = new FleetAnswers(results[0], results[1], results[2], results[3], results[4], results[5], results[6]);
        return FleetSample.Build(now, answers);
    }
}
