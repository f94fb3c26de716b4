using System.Security.Claims;
using RoutingFlow.Server.Advice;
using RoutingFlow.Web.Monitoring;
using RoutingFlow.Web.Security;

namespace RoutingFlow.Server.Dashboard;

/// <summary>The WAN card's "apply": the current plan, for a user allowed to change state (loopback, or signed in with the key).</summary>
public sealed class AdviceControl(AdviceQueries advice, AdviceApplier applier, Security.AuditLog audit) : IAdviceControl
{
    public async Task<(bool Applied, string Message)> ApplyCurrentAsync(ClaimsPrincipal user)
    {
        var (applied, message) = await ApplyAsync(user);
        audit.Record(user, "apply advice", applied ? null : message);
        return (applied, message);
    }

    private async Task<(bool Applied, string Message)> ApplyAsync(ClaimsPrincipal user)
    {
        if (!DashboardAccess.CanControl(user))
            return (false, "sign in with the API key to apply advice");
        var plan = advice.Current();
        if (plan.Moves.Count == 0)
            return (false, $"nothing to apply: {plan.Text}");
        var outcome = await applier.ApplyAsync(plan.Moves, $"dashboard ({user.FindFirst(ClaimTypes.AuthenticationMethod)?.Value ?? "signed in"})", CancellationToken.None);
        var failed = outcome.Error ?? outcome.Forwarded.UrlError ?? outcome.Forwarded.CommandError;
        return (true, $"applied: {plan.Text}{(failed is null ? "" : $" ({failed})")}");
    }
}
