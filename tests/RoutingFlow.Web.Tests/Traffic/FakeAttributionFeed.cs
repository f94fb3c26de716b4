using RoutingFlow.Web.Traffic;

namespace RoutingFlow.Web.Tests.Traffic;

/// <summary>An attribution feed the test drives by hand.</summary>
public sealed class FakeAttributionFeed : IAttributionFeed
{
    public AttributionView Current { get; private set; } = AttributionView.Empty;

    public event Action<AttributionView>? Changed;

    public void Publish(AttributionView view)
    {
        Current = view;
        Changed?.Invoke(view);
    }
}
