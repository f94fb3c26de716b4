using System.Net;
using RoutingFlow.Server.Security;
using RoutingFlow.Web.Security;

namespace RoutingFlow.Server.Dashboard;

/// <summary>The dashboard's sign-in: a cookie for the API key (once), the user's state for Blazor components, loopback's rights.</summary>
public static class SignIn
{
    public static void AddDashboardSignIn(this WebApplicationBuilder builder, SecurityOptions security)
    {
        builder.Services.Configure<DashboardSignInOptions>(o => o.KeyConfigured = security.KeyConfigured);
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

    /// <summary>The signed-in user from the cookie; a loopback client, which may always change state, gets the same rights.</summary>
    public static void UseDashboardSignIn(this WebApplication app)
    {
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            if (!DashboardAccess.CanControl(context.User) && context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote))
                context.User = DashboardAccess.Principal("loopback");
            // Where the user is: the dashboard's controls audit their actions with it (a circuit keeps its opening request's user).
            context.User.AddIdentity(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim(AuditLog.FromClaim, AuditLog.Address(context.Connection.RemoteIpAddress))]));
            await next(context);
        });
    }
}
