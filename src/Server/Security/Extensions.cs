using RoutingFlow.Server.Configuration;
using RoutingFlow.Server.Dashboard;

namespace RoutingFlow.Server.Security;

public static class Extensions
{
    /// <summary>
    /// The dashboard's sign-in (the API key, once, for its pages and controls) and the user's state for Blazor
    /// components; first, the refusal to listen beyond loopback with neither a key nor public reads.
    /// </summary>
    public static void AddSecurity(this WebApplicationBuilder builder)
    {
        var security = builder.FeatureOptions<SecurityOptions>();
        ListenCheck.Ensure(builder.Configuration, security);
        builder.Services.AddSingleton<AuditLog>();
        builder.AddStateChangeLimiter(security);
        builder.AddHttpsHardening();
        builder.AddDashboardSignIn(security);
    }

    /// <summary>The signed-in user (a loopback client gets the same rights), then the API-key rule for requests that change state.</summary>
    public static void UseSecurity(this WebApplication app)
    {
        app.UseHttpsHardening();
        app.UseDashboardSignIn();
        app.UseRateLimiter();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapSignInApi();
        app.MapAuditApi();
    }
}
