using MudBlazor.Services;
using RoutingFlow.Server.Traffic;
using RoutingFlow.Web.Components;
using RoutingFlow.Web.Traffic;

namespace RoutingFlow.Server.Dashboard;

public static class Extensions
{
    /// <summary>The Blazor Server dashboard from <c>src/Web</c>, fed by <see cref="TrafficState"/>.</summary>
    public static void AddDashboard(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseStaticWebAssets(); // MudBlazor's and Blazor's files from a plain build, not only a publish
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddSingleton<ITrafficFeed>(sp => sp.GetRequiredService<TrafficState>());
    }

    public static void MapDashboard(this WebApplication app)
    {
        app.UseStaticFiles();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
