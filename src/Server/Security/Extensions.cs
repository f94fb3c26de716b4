using System.Net;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Web.Security;

namespace RoutingFlow.Server.Security;

public static class Extensions
{
    /// <summary>Cookie sign-in for the dashboard's controls (the API key, once), and the user's state for Blazor components.</summary>
    public static void AddSecurity(this WebApplicationBuilder builder, RoutingFlowOptions options)
    {
        builder.Services.Configure<DashboardSignInOptions>(o => o.KeyConfigured = !string.IsNullOrEmpty(options.Security.ApiKey));
        builder.Services.AddAuthentication(DashboardAccess.Scheme).AddCookie(DashboardAccess.Scheme, options =>
        {
            options.Cookie.Name = "routingflow.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.LoginPath = DashboardAccess.SignInPath;
            options.ExpireTimeSpan = DashboardAccess.SignInLifetime;
            options.SlidingExpiration = false; // the 12 hours of the sign-in's own claim, which the circuit checks too
        });
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, SignInRevalidation>();
    }

    /// <summary>
    /// The signed-in user from the cookie; a loopback client, which may always change state, gets the same rights;
    /// then the API-key rule for requests that change state.
    /// </summary>
    public static void UseSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            if (!DashboardAccess.CanControl(context.User) && context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote))
                context.User = DashboardAccess.Principal("loopback");
            await next(context);
        });
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapSignInApi();
    }
}
