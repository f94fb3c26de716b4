using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Server.Fleet;

/// <summary>
/// One WAN of a watched router at the last check: <see cref="State"/> <c>ok</c>, <c>full</c>, <c>overloaded</c> or
/// <c>unknown</c> (with <see cref="Reason"/>: no capacity, no traffic series, stale, Prometheus failing); rates in bits/s.
/// </summary>
public sealed record FleetWanView(
    string Nic,
    string State,
    string? Reason,
    double? Utilization,
    double? CapacityRxBps,
    double? CapacityTxBps,
    double? RxBps,
    double? TxBps,
    DateTimeOffset? LastSampleAt,
    Incident? Incident,
    IReadOnlyList<IpRate> TopRx,
    IReadOnlyList<IpRate> TopTx);

/// <summary>A watched router: its worst WAN's state (overloaded, then unknown, then full, then ok) and its WANs.</summary>
public sealed record FleetRouterView(string Router, DateTimeOffset? LastSampleAt, string State, IReadOnlyList<FleetWanView> Wans);

/// <summary>
/// The fleet at one check. <see cref="State"/>: <c>off</c> (no <c>Fleet:Prometheus:Url</c>), <c>starting</c>,
/// <c>ok</c>, or <c>failing</c> with <see cref="Error"/> (every WAN then unknown).
/// </summary>
public sealed record FleetView(DateTimeOffset At, string State, string? Error, TimeSpan QueryTime, IReadOnlyList<FleetRouterView> Routers)
{
    /// <summary>What Prometheus answered at this check (null when it failed): the history records it.</summary>
    public FleetSample? Sample { get; init; }

    public static FleetView Off { get; } = new(DateTimeOffset.MinValue, "off", null, TimeSpan.Zero, []);

    public static FleetView Starting { get; } = new(DateTimeOffset.MinValue, "starting", null, TimeSpan.Zero, []);

    public FleetRouterView? Of(string router) => Routers.FirstOrDefault(r => r.Router == router);

    /// <summary>The worst of some WAN states, as a router's.</summary>
    public static string Worst(IEnumerable<string> states)
    {
        var all = states.ToList();
        return all.Contains("overloaded") ? "overloaded" : all.Contains("unknown") || all.Count == 0 ? "unknown" : all.Contains("full") ? "full" : "ok";
    }
}
