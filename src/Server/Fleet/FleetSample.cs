using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Server.Fleet;

/// <summary>
/// One WAN of one router as the fleet's Prometheus last had it: capacities and actual rates (bits/s; null where no
/// series answered), the newest scrape of its traffic, and its busiest IPs.
/// </summary>
public sealed record FleetWanSample(
    string Nic,
    double? CapacityRxBps,
    double? CapacityTxBps,
    double? ActualRxBps,
    double? ActualTxBps,
    DateTimeOffset? LastSampleAt,
    IReadOnlyList<IpRate> TopRx,
    IReadOnlyList<IpRate> TopTx);

/// <summary>The whole fleet at one read: router → its WANs, from one query per metric.</summary>
public sealed record FleetSample(DateTimeOffset At, IReadOnlyDictionary<string, IReadOnlyList<FleetWanSample>> Routers)
{
    /// <summary>Groups the answers (already keyed by router label and <c>nic</c>) by router and WAN; values that are not finite are left out.</summary>
    public static FleetSample Build(DateTimeOffset at, FleetAnswers answers)
    {
        var wans = new Dictionary<(string Router, string Nic), Builder>();
        Builder Of(KeyedSample s) => wans.TryGetValue((s.Router, s.Nic), out var b) ? b : wans[(s.Router, s.Nic)] = new Builder();
        static bool Finite(KeyedSample s) => double.IsFinite(s.Value);
        foreach (var s in answers.CapacityRx.Where(Finite))
            Of(s).CapacityRx = s.Value;
        foreach (var s in answers.CapacityTx.Where(Finite))
            Of(s).CapacityTx = s.Value;
        foreach (var s in answers.ActualRx.Where(Finite))
            Of(s).ActualRx = s.Value;
        foreach (var s in answers.ActualTx.Where(Finite))
            Of(s).ActualTx = s.Value;
        foreach (var s in answers.LastSample.Where(Finite))
            Of(s).Last = DateTimeOffset.FromUnixTimeMilliseconds((long)(s.Value * 1000));
        foreach (var s in answers.TopRx.Where(s => Finite(s) && s.Ip is not null))
            Of(s).TopRx.Add(new IpRate(s.Ip!, s.Value));
        foreach (var s in answers.TopTx.Where(s => Finite(s) && s.Ip is not null))
            Of(s).TopTx.Add(new IpRate(s.Ip!, s.Value));
        var routers = wans.GroupBy(w => w.Key.Router, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<FleetWanSample>)g.OrderBy(w => w.Key.Nic, StringComparer.Ordinal).Select(w => w.Value.Build(w.Key.Nic)).ToList(),
            StringComparer.Ordinal);
        return new FleetSample(at, routers);
    }

    private sealed class Builder
    {
        public double? CapacityRx, CapacityTx, ActualRx, ActualTx;
        public DateTimeOffset? Last;
        public readonly List<IpRate> TopRx = [], TopTx = [];

        public FleetWanSample Build(string nic) => new(nic, CapacityRx, CapacityTx, ActualRx, ActualTx, Last,
            [.. TopRx.OrderByDescending(r => r.Bps)], [.. TopTx.OrderByDescending(r => r.Bps)]);
    }
}

/// <summary>The answer to each of the fleet's queries, keyed by router and WAN (the per-IP ones: each WAN's top IPs only).</summary>
public sealed record FleetAnswers(
    IReadOnlyList<KeyedSample> CapacityRx,
    IReadOnlyList<KeyedSample> CapacityTx,
    IReadOnlyList<KeyedSample> ActualRx,
    IReadOnlyList<KeyedSample> ActualTx,
    IReadOnlyList<KeyedSample> TopRx,
    IReadOnlyList<KeyedSample> TopTx,
    IReadOnlyList<KeyedSample> LastSample);
