using RoutingFlow.Web.Traffic;

namespace RoutingFlow.Web.Tests.Traffic;

/// <summary>A feed the test drives by hand.</summary>
public sealed class FakeTrafficFeed : ITrafficFeed
{
    public TrafficView Current { get; private set; } = TrafficView.Empty;

    public event Action<TrafficView>? Changed;

    public int Subscribers => Changed?.GetInvocationList().Length ?? 0;

    public void Publish(TrafficView view)
    {
        Current = view;
        Changed?.Invoke(view);
    }
}
