using RoutingFlow.Web.Monitoring;

namespace RoutingFlow.Web.Fleet;

/// <summary>The fleet monitor's picture (routers watched through Prometheus), refreshed at each of its checks.</summary>
public interface IFleetFeed
{
    FleetPageView Current { get; }

    event Action<FleetPageView>? Changed;

    /// <summary>A watched WAN's last 15 minutes, for its card's live chart.</summary>
    IReadOnlyList<LoadPoint> Recent(string router, string nic);

    /// <summary>A watched router's incidents since start, newest first.</summary>
    IReadOnlyList<IncidentView> Incidents(string router);
}

/// <summary>
/// The fleet at one check: <see cref="State"/> <c>off</c> (no Prometheus URL), <c>starting</c>, <c>ok</c> or
/// <c>failing</c> (<see cref="Error"/>); one row per router and WAN.
/// </summary>
public sealed record FleetPageView(string State, string? Error, string? Url, DateTimeOffset? At, IReadOnlyList<FleetWanRow> Rows)
{
    public static FleetPageView Off { get; } = new("off", null, null, null, []);

    public IEnumerable<string> Routers => Rows.Select(r => r.Router).Distinct();
}

/// <summary>
/// One WAN of a watched router: its load as the local cards show it (<see cref="Load"/>), why it is unknown
/// (<see cref="Reason"/>), and when its router was last scraped.
/// </summary>
public sealed record FleetWanRow(string Router, string RouterState, WanLoadView Load, string? Reason, DateTimeOffset? LastSampleAt)
{
    public string Nic => Load.Nic;

    public string State => Load.State;
}
