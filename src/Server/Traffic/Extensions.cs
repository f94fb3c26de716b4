using RoutingFlow.Server.Metrics;
using RoutingFlow.Capture.Configuration;
namespace RoutingFlow.Server.Traffic;

public static class Extensions
{
    public static void AddTraffic(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TrafficState>();
        builder.Services.AddHostedService<TrafficAggregator>();
        builder.Services.AddMetricsSource((sp, f) => new Metrics.TrafficMetrics(f, sp.GetRequiredService<Metrics.MetricsOptions>().MaxIpSeriesPerNic),
            (sp, m) =>
            {
                var state = sp.GetRequiredService<TrafficState>();
                return () => m.Update(state.Current);
            });
    }
}
