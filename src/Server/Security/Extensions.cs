using RoutingFlow.Server.Configuration;
using RoutingFlow.Server.Dashboard;

namespace RoutingFlow.Server.Security;

public static class Extensions
{
    /// <summary>The dashboard's sign-in (the API key, once, for its controls) and the user's state for Blazor components.</summary>
    public static void AddSecurity(this WebApplicationBuilder builder) => builder.AddDashboardSignIn(builder.FeatureOptions<SecurityOptions>());

    /// <summary>The signed-in user (a loopback client gets the same rights), then the API-key rule for requests that change state.</summary>
    public static void UseSecurity(this WebApplication app)
    {
        app.UseDashboardSignIn();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapSignInApi();
    }
}
