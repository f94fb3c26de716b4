using RoutingFlow.Web.Fleet;
using RoutingFlow.Web.Monitoring;

namespace RoutingFlow.Web.Tests.Fleet;

/// <summary>A fleet feed the test sets: two routers (a and b), b's wan1 overloaded with an open incident naming 192.168.60.10.</summary>
public sealed class FakeFleetFeed : IFleetFeed
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    public FleetPageView Current { get; set; } = TwoRouters();

    public event Action<FleetPageView>? Changed;

    public IReadOnlyList<IncidentView> Incidents(string router) => router == "b:8080" ? [Open] : [];

    public IReadOnlyList<LoadPoint> Recent(string router, string nic) => [new LoadPoint(T0, 50e6, null, 20e6, 1e6)];

    public void Publish(FleetPageView view)
    {
        Current = view;
        Changed?.Invoke(view);
    }

    public static readonly IncidentView Open = new(7, "wan1", "open", T0.AddSeconds(-20), null, "combined", 10e6, null, 10e6, 10e6, 20e6, 0.1e6, 2.01, T0,
        [new IpRateView("192.168.60.10", 20e6)], [], null, null)
    {
        OverDirection = "rx",
        Culprits = [new CulpritView("192.168.60.10", null, "rx", 20e6, 1)],
    };

    public static FleetPageView TwoRouters()
    {
        WanLoadView Wan(string nic, double rx, string state, IncidentView? incident = null) =>
            new(nic, 50e6, null, rx, 1e6, (rx + 1e6) / 50e6, "combined", state, [], [], incident);
        return new FleetPageView("ok", null, "http://prometheus:9090", T0,
        [
            new FleetWanRow("a:8080", "ok", Wan("wan0", 20e6, "ok"), null, T0.AddSeconds(-1)),
            new FleetWanRow("a:8080", "ok", Wan("wan1", 5e6, "ok"), null, T0.AddSeconds(-1)),
            new FleetWanRow("b:8080", "overloaded", Wan("wan0", 1e6, "ok"), null, T0.AddSeconds(-2)),
            new FleetWanRow("b:8080", "overloaded", Wan("wan1", 20e6, "overloaded", Open) with { Utilization = 2.01, CapacityRxBps = 10e6 }, null, T0.AddSeconds(-2)),
        ]);
    }
}
