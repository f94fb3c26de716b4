using RoutingFlow.Server.Metrics;
namespace RoutingFlow.Server.Devices;

public static class Extensions
{
    /// <summary>Devices attached at run time for connection statistics; the attached set is kept in the data directory.</summary>
    public static void AddDevices(this WebApplicationBuilder builder, RoutingFlow.Capture.Configuration.RoutingFlowSettings settings, string contentRoot)
    {
        var dataDirectory = Path.GetFullPath(settings.Options.DataDirectory, contentRoot);
        builder.Services.AddSingleton(sp => new DeviceRegistry(settings.Options, dataDirectory, sp.GetRequiredService<Capture.CaptureManager>(),
            sp.GetRequiredService<Capture.InterfaceWatcher>(), sp.GetRequiredService<Kernel.KernelPrograms>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DeviceRegistry>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeviceRegistry>());
        builder.Services.AddMetricsSource(f => new DeviceMetrics(f), (sp, m) =>
        {
            var registry = sp.GetRequiredService<DeviceRegistry>();
            return () => m.Update(registry);
        });
    }
}
