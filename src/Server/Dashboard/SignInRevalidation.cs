using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using RoutingFlow.Web.Security;

namespace RoutingFlow.Server.Dashboard;

/// <summary>
/// A dashboard circuit outlives the request that opened it: every minute its user is checked again, and a sign-in
/// past its 12 hours is dropped (the controls then ask for the key again).
/// </summary>
public sealed class SignInRevalidation(ILoggerFactory loggers, TimeProvider time) : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        Task.FromResult(DashboardAccess.StillValid(authenticationState.User, time.GetUtcNow()));
}
