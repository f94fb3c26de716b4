using System.Runtime.InteropServices;
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
        var wans = new Dictionary<(string Router, string Nic), Builder>(answers.ActualRx.Count);
        Builder Of(in KeyedSample s)
        {
            ref var b = ref CollectionsMarshal.GetValueRefOrAddDefault(wans, (s.Router, s.Nic), out _);
            return b ??= new Builder();
        }
        void Set(IReadOnlyList<KeyedSample> answer, Action<Builder, double> set)
        {
            foreach (var s in answer)
            {
                if (double.IsFinite(s.Value))
                    set(Of(s), s.Value);
            }
        }
        Set(answers.CapacityRx, static (b, v) => b.CapacityRx = v);
        Set(answers.CapacityTx, static (b, v) => b.CapacityTx = v);
        Set(answers.ActualRx, static (b, v) => b.ActualRx = v);
        Set(answers.ActualTx, static (b, v) => b.ActualTx = v);
        Set(answers.LastSample, static (b, v) => b.Last = DateTimeOffset.FromUnixTimeMilliseconds((long)(v * 1000)));
        foreach (var s in answers.TopRx)
        {
            if (double.IsFinite(s.Value) && s.Ip is not null)
                Of(s).TopRx.Add(new IpRate(s.Ip, s.Value));
        }
        foreach (var s in answers.TopTx)
        {
            if (double.IsFinite(s.Value) && s.Ip is not null)
                Of(s).TopTx.Add(new IpRate(s.Ip, s.Value));
        }
        return new FleetSample(at, ByRouter(wans));
    }

    /// <summary>Each router's WANs, ordered by name.</summary>
    private static Dictionary<string, IReadOnlyList<FleetWanSample>> ByRouter(Dictionary<(string Router, string Nic), Builder> wans)
    {
        var lists = new Dictionary<string, List<FleetWanSample>>(StringComparer.Ordinal);
        foreach (var ((router, nic), builder) in wans)
        {
            ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(lists, router, out _);
            (list ??= new List<FleetWanSample>(4)).Add(builder.Build(nic));
        }
        var routers = new Dictionary<string, IReadOnlyList<FleetWanSample>>(lists.Count, StringComparer.Ordinal);
        foreach (var (router, list) in lists)
        {
            list.Sort(static (a, b) => string.CompareOrdinal(a.Nic, b.Nic));
            routers[router] = list;
        }
        return routers;
    }

    private sealed class Builder
    {
        private static readonly Comparison<IpRate> Busiest = static (a, b) => b.Bps.CompareTo(a.Bps);

        public double? CapacityRx, CapacityTx, ActualRx, ActualTx;
        public DateTimeOffset? Last;
        public readonly List<IpRate> TopRx = [], TopTx = [];

        /// <summary>The WAN's sample; its top lists, busiest first, are handed over (a builder builds once).</summary>
        public FleetWanSample Build(string nic)
        {
            TopRx.Sort(Busiest);
            TopTx.Sort(Busiest);
            return new(nic, CapacityRx, CapacityTx, ActualRx, ActualTx, Last, TopRx, TopTx);
        }
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
