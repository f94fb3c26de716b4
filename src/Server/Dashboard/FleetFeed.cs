using RoutingFlow.Server.Fleet;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Web.Fleet;
using RoutingFlow.Web.Monitoring;

namespace RoutingFlow.Server.Dashboard;

/// <summary>The dashboard's view of <see cref="FleetState"/>: one row per watched router and WAN, and each WAN's last 15 minutes.</summary>
public sealed class FleetFeed : IFleetFeed
{
    private readonly Dictionary<(string Router, string Nic), Queue<LoadPoint>> _recent = [];
    private readonly Lock _lock = new();
    private readonly FleetState _state;
    private readonly FleetOptions _options;
    private volatile FleetPageView _current;

    public FleetFeed(FleetState state, FleetOptions options)
    {
        (_state, _options) = (state, options);
        _current = Map(state.Current);
        state.Changed += OnCheck;
    }

    public event Action<FleetPageView>? Changed;

    public FleetPageView Current => _current;

    public IReadOnlyList<LoadPoint> Recent(string router, string nic)
    {
        lock (_lock)
            return _recent.TryGetValue((router, nic), out var points) ? [.. points] : [];
    }

    public IReadOnlyList<IncidentView> Incidents(string router) => [.. _state.Incidents(router).Select(MonitorFeed.View)];

    private void OnCheck(FleetView view)
    {
        lock (_lock)
        {
            foreach (var router in view.Routers)
            {
                foreach (var wan in router.Wans)
                {
                    if (!_recent.TryGetValue((router.Router, wan.Nic), out var points))
                        _recent[(router.Router, wan.Nic)] = points = new Queue<LoadPoint>();
                    points.Enqueue(new LoadPoint(view.At, wan.CapacityRxBps, wan.CapacityTxBps, wan.RxBps ?? 0, wan.TxBps ?? 0));
                    while (points.Count > 0 && points.Peek().Time < view.At - MonitorFeed.Window)
                        points.Dequeue();
                }
            }
        }
        _current = Map(view);
        Changed?.Invoke(_current);
    }

    private FleetPageView Map(FleetView view) => view.State == "off" ? FleetPageView.Off : new FleetPageView(view.State, view.Error, Security.Secrets.Url(_options.Prometheus.Url),
        view.At == DateTimeOffset.MinValue ? null : view.At,
        [.. view.Routers.SelectMany(r => r.Wans.Select(w => new FleetWanRow(r.Router, r.State, Load(w), w.Reason, w.LastSampleAt)))]);

    private static WanLoadView Load(FleetWanView w) => new(w.Nic, w.CapacityRxBps, w.CapacityTxBps, w.RxBps ?? 0, w.TxBps ?? 0, w.Utilization,
        w.Incident?.Compare.Name() ?? "", w.State, Rates(w.TopRx), Rates(w.TopTx), w.Incident is { } i ? MonitorFeed.View(i) : null);

    private static List<IpRateView> Rates(IReadOnlyList<IpRate> rates) => [.. rates.Select(r => new IpRateView(r.Ip, r.Bps, r.Name))];
}
