using RoutingFlow.Server.Metrics;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Probing;

namespace RoutingFlow.Server.Probing;

public static class Extensions
{
    /// <summary>The capacity probes: state, worker, the dashboard's feed and control. The real probes unless a test registered its own <see cref="IProbeRunner"/>.</summary>
    public static void AddProbing(this WebApplicationBuilder builder, RoutingFlowSettings settings, string contentRoot)
    {
        var dataDirectory = Path.GetFullPath(settings.Options.DataDirectory, contentRoot);
        builder.Services.AddSingleton(new CorrectionFactorStore(dataDirectory, settings.Probe.CorrectionFactor));
        builder.Services.AddSingleton<ProbeTraffic>();
        builder.Services.AddSingleton<ProbeState>();
        builder.Services.AddSingleton<IProbeRunner>(sp => new ProbeRunner(settings.Probe.Timing, sp.GetRequiredService<ProbeTraffic>(), TimeProvider.System));
        builder.Services.AddSingleton<ProbeWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ProbeWorker>());
        builder.Services.AddMetricsSource(f => new ProbeMetrics(f), (sp, m) =>
        {
            var state = sp.GetRequiredService<ProbeState>();
            return () => m.Update(state);
        });
    }
}
