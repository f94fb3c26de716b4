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
    }
}
