using RoutingFlow.Server.Metrics;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Server.Capture;

public static class Extensions
{
    public static void AddCapture(this WebApplicationBuilder builder, RoutingFlowSettings settings)
    {
        builder.Services.AddSingleton(new NicMapHolder(settings.StaticMap));
        builder.Services.AddSingleton(sp => new InterfaceWatcher(settings.Options.Capture, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<InterfaceWatcher>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InterfaceWatcher>());
        builder.Services.AddSingleton<CaptureManager>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CaptureManager>());
        builder.Services.AddMetricsSource(f => new HealthMetrics(f), (sp, m) =>
        {
            var (captures, mapping) = (sp.GetRequiredService<CaptureManager>(), sp.GetRequiredService<Mapping.MappingPoller>());
            return () => m.Update(captures.Sessions, mapping.Status);
        });
        builder.Services.AddMetricsSource(f => new TableMetrics(f), (sp, m) =>
        {
            var (captures, devices) = (sp.GetRequiredService<CaptureManager>(), sp.GetRequiredService<Devices.DeviceRegistry>());
            var (names, tcp) = (sp.GetRequiredService<RoutingFlow.Capture.Protocols.NameCache>(), sp.GetRequiredService<Tcp.TcpHealth>());
            return () => m.Update(settings.Options, captures.Sessions, devices.Devices, names, tcp.AnalyzerOf);
        });
    }
}
