using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Security;
using RoutingFlow.Web.Security;

namespace RoutingFlow.Server.Dashboard;

/// <summary>
/// The dashboard's sign-in form (<c>/signin</c>) posts the API key here; a match sets the sign-in cookie and
/// returns to the page the user came from. A wrong key, or none configured, returns to the form saying why.
/// </summary>
public static class SignInApi
{
    public const string Prefix = "/auth";

    public static void MapSignInApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Prefix + "/signin", SignInAsync).DisableAntiforgery();
        app.MapPost(Prefix + "/signout", (Delegate)SignOutAsync).DisableAntiforgery();
    }

    public static async Task<Results<RedirectHttpResult, BadRequest<string>>> SignInAsync(HttpContext context, IAntiforgery antiforgery,
        Security.SecurityOptions security, TimeProvider time)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
            return TypedResults.BadRequest("the sign-in form expired: reload the page and sign in again");
        var form = await context.Request.ReadFormAsync();
        var returnUrl = LocalOrHome(form["returnUrl"].ToString());
        var configured = security.ApiKey;
        if (string.IsNullOrEmpty(configured))
            return TypedResults.Redirect(SignInPage("nokey", returnUrl));
        if (!Matches(form["key"].ToString(), configured))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), time); // slows guessing
            return TypedResults.Redirect(SignInPage("wrong", returnUrl));
        }
        await context.SignInAsync(DashboardAccess.Scheme, DashboardAccess.Principal("api-key", time.GetUtcNow() + DashboardAccess.SignInLifetime));
        return TypedResults.Redirect(returnUrl);
    }

    public static async Task<RedirectHttpResult> SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(DashboardAccess.Scheme);
        return TypedResults.Redirect("/");
    }

    private static bool Matches(string presented, string configured) => ApiKeyMiddleware.KeyMatches(presented, configured);

    private static string SignInPage(string error, string returnUrl) =>
        $"{DashboardAccess.SignInPath}?error={error}&returnUrl={Uri.EscapeDataString(returnUrl)}";

    /// <summary>A path on this server, else <c>/</c>: not <c>//host</c> or <c>/\host</c>, and no control characters (browsers drop tabs and newlines, so <c>/\t/host</c> would become <c>//host</c>).</summary>
    internal static string LocalOrHome(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            && !url.Any(c => c < ' ' || c == '\x7f') ? url : "/";
}
