namespace RoutingFlow.Web.Traffic;

/// <summary>The live traffic picture and its once-a-second updates, as the dashboard consumes them.</summary>
public interface ITrafficFeed
{
    TrafficView Current { get; }

    event Action<TrafficView>? Changed;
}
