namespace RoutingFlow.Web.Monitoring;

/// <summary>The dashboard's "apply" on the rebalancing advice (the same key rule as every other control).</summary>
public interface IAdviceControl
{
    /// <summary>Applies the current plan; returns what happened, in words (or why nothing was).</summary>
    Task<(bool Applied, string Message)> ApplyCurrentAsync(System.Security.Claims.ClaimsPrincipal user);
}
