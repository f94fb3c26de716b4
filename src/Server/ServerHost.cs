using RoutingFlow.Server.Advice;
using RoutingFlow.Server.Alerts;
using RoutingFlow.Server.Diagnosis;
using RoutingFlow.Server.Capture;
using RoutingFlow.Server.Configuration;
using RoutingFlow.Server.Dashboard;
using RoutingFlow.Server.Fleet;
using RoutingFlow.Server.History;
using RoutingFlow.Server.Hosting;
using RoutingFlow.Server.Hosts;
using RoutingFlow.Server.Kernel;
using RoutingFlow.Server.Legacy;
using RoutingFlow.Server.Mapping;
using RoutingFlow.Server.Tcp;
using RoutingFlow.Server.Devices;
using RoutingFlow.Server.Network;
using RoutingFlow.Server.Metrics;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Probing;
using RoutingFlow.Server.Security;
using RoutingFlow.Server.Status;
using RoutingFlow.Server.Storage;
using RoutingFlow.Server.Traffic;

namespace RoutingFlow.Server;

/// <summary>Composition root of the web host: each feature registers itself through its own Extensions class.</summary>
public static class ServerHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var settings = builder.AddRoutingFlowSettings();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddApiProblems();
        builder.Services.AddApiDocs();
        builder.AddServerLimits();
        // No framework log line per outgoing request: they would carry configured URLs (webhook paths, tokens in
        // queries); each client logs its own failures with the URL shown by Security.Secrets.
        builder.Services.ConfigureHttpClientDefaults(b => b.RemoveAllLoggers());
        builder.Services.ConfigureHttpJsonOptions(o => JsonNumbers.Apply(o.SerializerOptions));
        builder.AddCapture(settings);
        builder.AddTcpHealth();
        builder.AddKernel(settings);
        builder.AddDevices(settings, builder.Environment.ContentRootPath);
        builder.AddNetworkMonitor(settings);
        builder.AddMapping();
        builder.AddTraffic();
        builder.AddProbing(settings, builder.Environment.ContentRootPath);
        builder.AddMonitoring();
        builder.AddFleet();
        builder.AddStorage(settings.Options, builder.Environment.ContentRootPath);
        builder.AddHosts();
        builder.AddAdvice();
        builder.AddDiagnosis();
        builder.AddAlerts();
        builder.AddMetrics();
        builder.AddLegacyPorts();
        builder.AddDashboard();
        builder.AddSecurity(); // after the dashboard: its AuthenticationStateProvider replaces Blazor's
        var app = builder.Build();
        app.UseDashboardNotFound();
        app.UseApiProblems();
        app.UseLegacyPorts();
        app.UseSecurity();
        app.MapStatusApi();
        app.MapProbeApi();
        app.MapIncidentsApi();
        app.MapFleetApi();
        app.MapHistoryApi();
        app.MapTalkersApi();
        app.MapHostsApi();
        app.MapAdviceApi();
        app.MapTcpApi();
        app.MapDevicesApi();
        app.MapNetworkApi();
        app.MapAlertsApi();
        app.MapMetricsApi();
        app.MapApiDocs();
        app.MapDashboard();
        return app;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var app = Build(args);
            await Alerts.Thresholds.ThresholdWorker.ValidateAsync(app.Services.GetRequiredService<AlertOptions>().Rules,
                app.Services.GetRequiredService<MetricsExposition>());
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when (e is ConfigurationException or ListenRefusedException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}
