using RoutingFlow.Server.Metrics;
namespace RoutingFlow.Server.Monitoring;

public static class Extensions
{
    /// <summary>The overload monitor: each WAN's capacity against its actual traffic, and its incidents.</summary>
    public static void AddMonitoring(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MonitorState>();
        builder.Services.AddSingleton<IncidentIds>();
        builder.Services.AddSingleton<OverloadMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OverloadMonitor>());
        builder.Services.AddMetricsSource(f => new MonitorMetrics(f), (sp, m) =>
        {
            var state = sp.GetRequiredService<MonitorState>();
            return () => m.Update(state);
        });
    }
}
