namespace RoutingFlow.Server.Traffic;

public static class Extensions
{
    public static void AddTraffic(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TrafficState>();
        builder.Services.AddHostedService<TrafficAggregator>();
    }
}
