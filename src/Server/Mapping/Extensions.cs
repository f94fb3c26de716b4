using RoutingFlow.Server.Metrics;
namespace RoutingFlow.Server.Mapping;

public static class Extensions
{
    public static void AddMapping(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpClient(nameof(MappingPoller));
        builder.Services.AddSingleton(sp => new MappingOverrides(sp.GetRequiredService<RoutingFlow.Capture.Mapping.NicMapHolder>(),
            Path.GetFullPath(sp.GetRequiredService<RoutingFlow.Capture.Configuration.RoutingFlowOptions>().DataDirectory, builder.Environment.ContentRootPath),
            sp.GetRequiredService<ILogger<MappingOverrides>>()));
        builder.Services.AddSingleton<MappingPoller>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MappingPoller>());
        builder.Services.AddSingleton<ConntrackState>();
        builder.Services.AddSingleton<ConntrackWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ConntrackWorker>());
        builder.Services.AddMetricsSource(f => new AttributionMetrics(f), (sp, m) =>
        {
            var (conntrack, captures) = (sp.GetRequiredService<ConntrackState>(), sp.GetRequiredService<Capture.CaptureManager>());
            var nicMap = sp.GetRequiredService<RoutingFlow.Capture.Mapping.NicMapHolder>();
            return () => m.Update(conntrack, captures.Sessions, nicMap.Current);
        });
    }
}
