using System.Security.Claims;
using RoutingFlow.Web.Probing;
using RoutingFlow.Web.Security;

namespace RoutingFlow.Web.Tests.Probing;

/// <summary>A probe feed and control the test drives by hand; the control refuses users without the control claim, as the server's does.</summary>
public sealed class FakeProbeFeed : IProbeFeed, IProbeControl
{
    public ProbeView Current { get; private set; } = ProbeView.Empty;

    public event Action<ProbeView>? Changed;

    public List<string> Set { get; } = [];

    public int Subscribers => Changed?.GetInvocationList().Length ?? 0;

    public void Publish(ProbeView view)
    {
        Current = view;
        Changed?.Invoke(view);
    }

    public Task<string?> SetCorrectionFactorAsync(ClaimsPrincipal user, string value)
    {
        if (!DashboardAccess.CanControl(user))
            return Task.FromResult<string?>(DashboardAccess.Refusal(keyConfigured: true));
        if (!double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var factor) || factor <= 0)
            return Task.FromResult<string?>($"invalid correction factor '{value}': must be a positive number");
        Set.Add(value);
        Publish(Current with { CorrectionFactor = factor });
        return Task.FromResult<string?>(null);
    }

    public int ProbeNowCalls { get; private set; }

    public Task<string?> ProbeNowAsync(ClaimsPrincipal user)
    {
        if (!DashboardAccess.CanControl(user))
            return Task.FromResult<string?>(DashboardAccess.Refusal(keyConfigured: true));
        ProbeNowCalls++;
        return Task.FromResult<string?>(null);
    }

    public static ProbeView Sample(DateTimeOffset now) => new(true, 1, null,
    [
        new InterfaceProbeView("eth0", "wan0", 20e6, 19.5e6, "degraded",
        [
            new TargetProbeView(0, "isp0", "download", "rx", "ok", 20e6, 0.012, now, null, now.AddMinutes(5),
                [new ProbePoint(now.AddMinutes(-10), 19e6, 0.011), new ProbePoint(now.AddMinutes(-5), null, null), new ProbePoint(now, 20e6, 0.012)]),
            new TargetProbeView(1, "isp1", "upload", "tx", "failed", null, null, null, "connecting to 203.0.113.1:80 via eth0 failed: Connection refused", now.AddSeconds(20), []),
        ]),
    ]);
}
