using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Server.Fleet;

/// <summary>Reads the whole fleet: the configured queries, one per metric, grouped into a <see cref="FleetSample"/>.</summary>
public interface IFleetReader
{
    Task<FleetSample> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// The fleet from Prometheus's query API, in two steps: the five per-WAN queries at once (capacities, actual rates,
/// last scrape: one series per router and WAN), then, only when some WAN is at or above <c>Monitor:FullAt</c>, the two
/// per-IP queries for the routers that have one (<c>{selector}</c>; every router when more than
/// <see cref="MaxSelectedRouters"/> are that busy). A quiet fleet costs Prometheus five small queries per check.
/// </summary>
public sealed class PrometheusFleetReader(FleetOptions options, MonitorOptions monitor, PrometheusClient prometheus) : IFleetReader
{
    /// <summary>Past this many busy routers the per-IP queries name no routers (a very long pattern costs more than it saves).</summary>
    public const int MaxSelectedRouters = 500;

    private readonly CompareMode? _compare = LoadRule.Parse(monitor.Compare);

    public async Task<FleetSample> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var q = options.Queries;
        var wans = await AllAsync([Ask(q.CapacityRx), Ask(q.CapacityTx), Ask(q.ActualRx), Ask(q.ActualTx), Ask(q.LastSample)]);
        var busy = BusyRouters(wans[0], wans[1], wans[2], wans[3]);
        List<KeyedSample>[] top = [[], []];
        if (busy.Count > 0)
        {
            var routers = busy.Count <= MaxSelectedRouters ? busy : null;
            top = await AllAsync([Ask(q.TopRx, monitor.TopIps, routers), Ask(q.TopTx, monitor.TopIps, routers)]);
        }
        return FleetSample.Build(now, new FleetAnswers(wans[0], wans[1], wans[2], wans[3], top[0], top[1], wans[4]));

        Task<List<KeyedSample>> Ask(string query, int keep = 0, IReadOnlyCollection<string>? routers = null) =>
            prometheus.QueryKeyedAsync(FleetQueries.Expand(query, options.RouterLabel, monitor.TopIps, routers), options.RouterLabel, keep, cancellationToken);
    }

    /// <summary>The routers with a WAN whose rule (<c>Monitor:Compare</c>, <c>Threshold</c>, <c>FullAt</c>) says full or overloaded.</summary>
    public HashSet<string> BusyRouters(List<KeyedSample> capacityRx, List<KeyedSample> capacityTx, List<KeyedSample> actualRx, List<KeyedSample> actualTx)
    {
        var readings = new Dictionary<(string Router, string Nic), (double? CapRx, double? CapTx, double Rx, double Tx)>(actualRx.Count);
        void Set(List<KeyedSample> answer, Func<(double? CapRx, double? CapTx, double Rx, double Tx), double, (double?, double?, double, double)> with)
        {
            foreach (var s in answer)
            {
                if (double.IsFinite(s.Value))
                    readings[(s.Router, s.Nic)] = with(readings.GetValueOrDefault((s.Router, s.Nic)), s.Value);
            }
        }
        Set(capacityRx, (r, v) => r with { CapRx = v });
        Set(capacityTx, (r, v) => r with { CapTx = v });
        Set(actualRx, (r, v) => r with { Rx = v });
        Set(actualTx, (r, v) => r with { Tx = v });
        var busy = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ((router, _), r) in readings)
        {
            var load = LoadRule.Evaluate(new WanReading(r.CapRx, r.CapTx, r.Rx, r.Tx, null), _compare, monitor.Threshold, monitor.FullAt);
            if (load.State is LoadState.Full or LoadState.Overloaded)
                busy.Add(router);
        }
        return busy;
    }

    /// <summary>The answers of queries asked at once; when any fails, the first failing query's error (not a random one).</summary>
    private static async Task<List<KeyedSample>[]> AllAsync(Task<List<KeyedSample>>[] asked)
    {
        try
        {
            return await Task.WhenAll(asked);
        }
        catch (PrometheusQueryException)
        {
            throw asked.Select(t => t.Exception?.InnerException).OfType<PrometheusQueryException>().First();
        }
    }
}
