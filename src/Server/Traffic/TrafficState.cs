using RoutingFlow.Web.Traffic;

namespace RoutingFlow.Server.Traffic;

/// <summary>Holds the latest <see cref="TrafficView"/> and tells subscribers (dashboard circuits) when it changes.</summary>
public sealed class TrafficState : ITrafficFeed
{
    private volatile TrafficView _current = TrafficView.Empty;

    public event Action<TrafficView>? Changed;

    public TrafficView Current => _current;

    public void Publish(TrafficView view)
    {
        _current = view;
        Metrics.Publications.Note();
        Changed?.Invoke(view);
    }
}
