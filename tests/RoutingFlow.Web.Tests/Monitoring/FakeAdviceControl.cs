using System.Security.Claims;
using RoutingFlow.Web.Monitoring;

namespace RoutingFlow.Web.Tests.Monitoring;

/// <summary>Records the applies the dashboard asks for, and answers as the server would.</summary>
public sealed class FakeAdviceControl : IAdviceControl
{
    public List<ClaimsPrincipal> Applies { get; } = [];

    public Task<(bool Applied, string Message)> ApplyCurrentAsync(ClaimsPrincipal user)
    {
        Applies.Add(user);
        return Task.FromResult((true, "applied: move 192.168.50.12 (29.0 Mbit/s rx) wan1 → wan0"));
    }
}
