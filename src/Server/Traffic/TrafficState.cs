namespace RoutingFlow.Server.Traffic;

/// <summary>Holds the latest <see cref="TrafficSnapshot"/> and tells subscribers (the monitor, the recorder, the dashboard's feed) when it changes.</summary>
public sealed class TrafficState
{
    private volatile TrafficSnapshot _current = TrafficSnapshot.Empty;

    public event Action<TrafficSnapshot>? Changed;

    public TrafficSnapshot Current => _current;

    public void Publish(TrafficSnapshot snapshot)
    {
        _current = snapshot;
        Metrics.Publications.Note();
        Changed?.Invoke(snapshot);
    }
}
