using System.Security.Claims;
using RoutingFlow.Web.Security;

namespace RoutingFlow.Server.Dashboard;

/// <summary>The dashboard's sign-in as the rest of the server sees it (only this folder uses the Web project's types).</summary>
public static class DashboardUsers
{
    /// <summary>The sign-in page.</summary>
    public const string SignInPath = DashboardAccess.SignInPath;

    /// <summary>Signed in with the key (or loopback) and the sign-in not expired.</summary>
    public static bool Signed(ClaimsPrincipal user, DateTimeOffset now) => DashboardAccess.CanControl(user) && DashboardAccess.StillValid(user, now);

    /// <summary>May use the controls (loopback, or signed in).</summary>
    public static bool CanControl(ClaimsPrincipal user) => DashboardAccess.CanControl(user);

    /// <summary>How the user got its rights: <c>loopback</c>, <c>api-key</c> (the sign-in), or null.</summary>
    public static string? Via(ClaimsPrincipal user) => DashboardAccess.Via(user);
}
