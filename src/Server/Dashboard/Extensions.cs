using MudBlazor.Services;
using RoutingFlow.Server.History;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Traffic;
using RoutingFlow.Web.Components;
using RoutingFlow.Web.Monitoring;
using RoutingFlow.Web.Traffic;

namespace RoutingFlow.Server.Dashboard;

public static class Extensions
{
    /// <summary>The Blazor Server dashboard from <c>src/Web</c>, fed by <see cref="TrafficState"/>.</summary>
    public static void AddDashboard(this WebApplicationBuilder builder)
    {
        UseBuildOutputAssets(builder);
        // Circuits: at most 64 open (Kestrel:Limits:MaxConcurrentUpgradedConnections), 20 disconnected kept for 3
        // minutes for a reconnect, 32 KB per message from a browser.
        builder.Services.AddRazorComponents().AddInteractiveServerComponents(o =>
        {
            o.DisconnectedCircuitMaxRetained = 20;
            o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(3);
        }).AddHubOptions(o => o.MaximumReceiveMessageSize = 32 * 1024);
        builder.Services.AddMudServices();
        builder.Services.AddSingleton<TrafficFeed>();
        builder.Services.AddSingleton<ITrafficFeed>(sp => sp.GetRequiredService<TrafficFeed>());
        builder.Services.AddSingleton<MonitorFeed>();
        builder.Services.AddSingleton<IMonitorFeed>(sp => sp.GetRequiredService<MonitorFeed>());
        builder.Services.AddSingleton<Web.Fleet.IFleetFeed, FleetFeed>();
        builder.Services.AddSingleton<IHistoryReader, HistoryReader>();
        builder.Services.AddSingleton<Web.Hosts.IHostReader, HostReader>();
        builder.Services.AddSingleton<IAdviceControl, AdviceControl>();
        builder.Services.AddScoped<Web.Display.DisplayZone>(); // per circuit: each tab its own
        builder.Services.AddSingleton<IAttributionFeed, AttributionFeed>();
        builder.Services.AddSingleton<ProbeFeed>();
        builder.Services.AddSingleton<Web.Probing.IProbeFeed>(sp => sp.GetRequiredService<ProbeFeed>());
        builder.Services.AddSingleton<Web.Probing.IProbeControl>(sp => sp.GetRequiredService<ProbeFeed>());
        builder.Services.AddSingleton<DeviceFeed>();
        builder.Services.AddSingleton<Web.Devices.IDeviceFeed>(sp => sp.GetRequiredService<DeviceFeed>());
        builder.Services.AddSingleton<Web.Devices.IDeviceControl>(sp => sp.GetRequiredService<DeviceFeed>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeviceFeed>());
        builder.Services.AddSingleton<TcpFeed>();
        builder.Services.AddSingleton<Web.Tcp.ITcpFeed>(sp => sp.GetRequiredService<TcpFeed>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TcpFeed>());
        builder.Services.AddSingleton<NetworkFeed>();
        builder.Services.AddSingleton<Web.Network.INetworkFeed>(sp => sp.GetRequiredService<NetworkFeed>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NetworkFeed>());
    }

    /// <summary>
    /// A published server has MudBlazor's and Blazor's files in its wwwroot. A plain build finds them through the
    /// build's manifest, which points into the NuGet cache: when that cannot be read (another user, a moved
    /// cache), the dashboard loses its styles and scripts, and the server says so and serves everything else.
    /// </summary>
    private static void UseBuildOutputAssets(WebApplicationBuilder builder)
    {
        try
        {
            builder.WebHost.UseStaticWebAssets();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"warning: dashboard assets of this build are unreadable ({e.Message}); publish the server (./run.sh does) to serve them from its own wwwroot");
        }
    }

    /// <summary>
    /// An address with no page (a 404 without a body) shows the dashboard's own page, still as a 404. First in the
    /// pipeline, so that it re-runs routing, and outside everything that writes a body of its own (an /api answer is
    /// problem details already, and is left alone).
    /// </summary>
    public static void UseDashboardNotFound(this WebApplication app)
    {
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // Only a GET or HEAD that found nothing: a 405, a 400 or a POST to an unknown path keeps its own answer.
        app.Use(async (context, next) =>
        {
            var pages = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>();
            await next(context);
            var method = context.Request.Method;
            if (pages is not null && (context.Response.StatusCode != StatusCodes.Status404NotFound || !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method))))
                pages.Enabled = false;
        });
    }

    public static void MapDashboard(this WebApplication app)
    {
        app.Services.GetRequiredService<MonitorFeed>(); // from the start: the live chart's 15 minutes begin with the server
        app.UseStaticFiles();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
