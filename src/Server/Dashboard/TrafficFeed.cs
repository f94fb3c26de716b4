using RoutingFlow.Server.Traffic;
using RoutingFlow.Web.Traffic;

namespace RoutingFlow.Server.Dashboard;

/// <summary>
/// The dashboard's traffic picture: the server's <see cref="TrafficSnapshot"/> mapped to the Web's view once per
/// publication, and only while someone looks (a circuit subscribed, or a page asked for <see cref="Current"/>); every
/// component of every circuit gets the same view object.
/// </summary>
public sealed class TrafficFeed : ITrafficFeed, IDisposable
{
    private readonly TrafficState _state;
    private (TrafficSnapshot Snapshot, TrafficView View) _mapped = (TrafficSnapshot.Empty, TrafficView.Empty);

    public TrafficFeed(TrafficState state)
    {
        _state = state;
        _state.Changed += OnPublished;
    }

    public TrafficView Current => Map(_state.Current);

    public event Action<TrafficView>? Changed;

    public void Dispose() => _state.Changed -= OnPublished;

    private void OnPublished(TrafficSnapshot snapshot)
    {
        if (Changed is { } changed) // mapped only while someone listens
            changed(Map(snapshot));
    }

    private TrafficView Map(TrafficSnapshot snapshot)
    {
        var mapped = _mapped;
        if (ReferenceEquals(mapped.Snapshot, snapshot))
            return mapped.View;
        var view = TrafficViews.Of(snapshot);
        _mapped = (snapshot, view);
        return view;
    }
}

/// <summary>The dashboard's view of the server's traffic snapshot.</summary>
public static class TrafficViews
{
    public static TrafficView Of(TrafficSnapshot snapshot) => new(snapshot.Timestamp,
        [.. snapshot.Wans.Select(w => new NicTraffic(w.Nic, w.Interface, w.RxBps, w.TxBps, [.. w.Hosts.Select(Of)])
        {
            Idle = [.. w.Idle.Select(i => Of(i.Last) with { IdleSince = i.LastActiveAt })],
        })],
        [.. snapshot.Captures.Select(c => new CaptureInfo(c.Interface, c.Role, c.Nic, c.State, c.Error, c.Packets, c.Drops))]);

    public static IpTraffic Of(HostTraffic host) => new(host.Ip.ToString(), host.RxBps, host.TxBps, host.RxBytes, host.TxBytes) { Name = host.Name };
}
