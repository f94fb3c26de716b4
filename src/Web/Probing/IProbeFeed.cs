namespace RoutingFlow.Web.Probing;

/// <summary>The probes' latest picture and its updates (after each probe and each correction change).</summary>
public interface IProbeFeed
{
    ProbeView Current { get; }

    event Action<ProbeView>? Changed;
}

/// <summary>The dashboard's one control so far: setting the correction factor, for a user allowed to (see <see cref="Security.DashboardAccess"/>).</summary>
public interface IProbeControl
{
    /// <summary>Null when set; otherwise why not (not allowed, or not a valid factor).</summary>
    Task<string?> SetCorrectionFactorAsync(System.Security.Claims.ClaimsPrincipal user, string value);
}
