namespace RoutingFlow.Web.Probing;

/// <summary>The probes' latest picture and its updates (after each probe and each correction change).</summary>
public interface IProbeFeed
{
    ProbeView Current { get; }

    event Action<ProbeView>? Changed;
}

/// <summary>The probes' controls: setting the correction factor and probing now, for a user allowed to (see <see cref="Security.DashboardAccess"/>).</summary>
public interface IProbeControl
{
    /// <summary>Null when set; otherwise why not (not allowed, or not a valid factor).</summary>
    Task<string?> SetCorrectionFactorAsync(System.Security.Claims.ClaimsPrincipal user, string value);

    /// <summary>Makes every target due now (as <c>POST /api/probe/run</c>); null when done, otherwise why not.</summary>
    Task<string?> ProbeNowAsync(System.Security.Claims.ClaimsPrincipal user);
}
