using RoutingFlow.Capture.Mapping;
using RoutingFlow.Server.Capture;
using RoutingFlow.Server.Mapping;
using RoutingFlow.Server.Traffic;
using RoutingFlow.Web.Traffic;

namespace RoutingFlow.Server.Dashboard;

/// <summary>The dashboard's attribution picture, made from the conntrack state and the captures' counts each time the traffic view is published.</summary>
public sealed class AttributionFeed : IAttributionFeed, IDisposable
{
    private readonly ConntrackState _conntrack;
    private readonly CaptureManager _captures;
    private readonly NicMapHolder _mapping;
    private readonly TrafficState _traffic;
    private volatile AttributionView _current = AttributionView.Empty;

    public AttributionFeed(ConntrackState conntrack, CaptureManager captures, NicMapHolder mapping, TrafficState traffic)
    {
        (_conntrack, _captures, _mapping, _traffic) = (conntrack, captures, mapping, traffic);
        _traffic.Changed += OnTraffic;
        _current = Build();
    }

    public AttributionView Current => _current;

    public event Action<AttributionView>? Changed;

    public void Dispose() => _traffic.Changed -= OnTraffic;

    private void OnTraffic(TrafficSnapshot snapshot)
    {
        _current = Build();
        Changed?.Invoke(_current);
    }

    private AttributionView Build()
    {
        var s = _conntrack.Status;
        var shares = AttributionShare.Of(_captures.Sessions, _mapping.Current, _conntrack.Latest)
            .Select(a => new AttributionShareView(a.Nic, a.Packets, a.Shares)).ToList();
        return new AttributionView(s.Mode, s.State, s.Error, s.Fix, _conntrack.Backend, _conntrack.Table?.Count ?? 0, s.Resyncs,
            _conntrack.Table?.Evictions ?? 0, shares) { Warning = _conntrack.Warning };
    }
}
