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
    /// <summary>Groups the answers by router label and <c>nic</c>; a series without either is not a router's WAN and is left out.</summary>
    public static FleetSample Build(DateTimeOffset at, string routerLabel, FleetAnswers answers)
    {
        var wans = new Dictionary<(string Router, string Nic), Builder>();
        Builder Of(PromSample s) => wans.TryGetValue((s.Labels[routerLabel], s.Labels["nic"]), out var b) ? b
            : wans[(s.Labels[routerLabel], s.Labels["nic"])] = new Builder();
        bool Keyed(PromSample s) => s.Labels.ContainsKey(routerLabel) && s.Labels.ContainsKey("nic") && double.IsFinite(s.Value);
        foreach (var s in answers.CapacityRx.Where(Keyed))
            Of(s).CapacityRx = s.Value;
        foreach (var s in answers.CapacityTx.Where(Keyed))
            Of(s).CapacityTx = s.Value;
        foreach (var s in answers.ActualRx.Where(Keyed))
            Of(s).ActualRx = s.Value;
        foreach (var s in answers.ActualTx.Where(Keyed))
            Of(s).ActualTx = s.Value;
        foreach (var s in answers.LastSample.Where(Keyed))
            Of(s).Last = DateTimeOffset.FromUnixTimeMilliseconds((long)(s.Value * 1000));
        foreach (var s in answers.TopRx.Where(s => Keyed(s) && s.Labels.ContainsKey("ip")))
            Of(s).TopRx.Add(new IpRate(s.Labels["ip"], s.Value));
        foreach (var s in answers.TopTx.Where(s => Keyed(s) && s.Labels.ContainsKey("ip")))
            Of(s).TopTx.Add(new IpRate(s.Labels["ip"], s.Value));
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

/// <summary>The answer to each of the fleet's queries.</summary>
public sealed record FleetAnswers(
    IReadOnlyList<PromSample> CapacityRx,
    IReadOnlyList<PromSample> CapacityTx,
    IReadOnlyList<PromSample> ActualRx,
    IReadOnlyList<PromSample> ActualTx,
    IReadOnlyList<PromSample> TopRx,
    IReadOnlyList<PromSample> TopTx,
    IReadOnlyList<PromSample> LastSample);
