using System.Security.Claims;

namespace RoutingFlow.Web.Security;

/// <summary>
/// Who may use the dashboard's controls: a loopback client, or one signed in with the API key. The server gives
/// both a principal carrying <see cref="ControlClaim"/>; components and services check it before acting.
/// </summary>
public static class DashboardAccess
{
    public const string ControlClaim = "routingflow:control";
    public const string Scheme = "routingflow";
    public const string SignInPath = "/signin";
    public const string SignOutPath = "/signout";

    /// <summary>Unix seconds after which a sign-in no longer gives control (a Blazor circuit outlives its cookie).</summary>
    public const string ExpiresClaim = "routingflow:expires";

    public static readonly TimeSpan SignInLifetime = TimeSpan.FromHours(12);

    public static bool CanControl(ClaimsPrincipal? user) => user?.HasClaim(ControlClaim, "true") == true;

    /// <summary>False once a signed-in user's <see cref="ExpiresClaim"/> has passed.</summary>
    public static bool StillValid(ClaimsPrincipal user, DateTimeOffset now) =>
        user.FindFirst(ExpiresClaim)?.Value is not { } expires
        || (long.TryParse(expires, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && now.ToUnixTimeSeconds() < seconds);

    /// <summary>How the user got control: loopback or api-key (null: none).</summary>
    public static string? Via(ClaimsPrincipal? user) => CanControl(user) ? user!.FindFirst(ClaimTypes.AuthenticationMethod)?.Value : null;

    public static ClaimsPrincipal Principal(string via, DateTimeOffset? expires = null) => new(new ClaimsIdentity(
        [
            new Claim(ControlClaim, "true"), new Claim(ClaimTypes.Name, via), new Claim(ClaimTypes.AuthenticationMethod, via),
            .. expires is { } e ? [new Claim(ExpiresClaim, e.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))] : Array.Empty<Claim>(),
        ], Scheme));

    /// <summary>What a user without control is told.</summary>
    public static string Refusal(bool keyConfigured) => keyConfigured
        ? "Changing settings from another machine needs the API key: sign in first."
        : "Changing settings is allowed only from the router itself (loopback), because no API key is configured: set RoutingFlow:Security:ApiKey to allow signing in from elsewhere.";
}
