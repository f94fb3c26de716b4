using RoutingFlow.Server.Probing;
using System.Security.Claims;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Probing;
using RoutingFlow.Web.Probing;
using RoutingFlow.Web.Security;

namespace RoutingFlow.Server.Dashboard;

/// <summary>The dashboard's view of <see cref="ProbeState"/> (estimates after correction) and its correction-factor control.</summary>
public sealed class ProbeFeed : IProbeFeed, IProbeControl
{
    private readonly ProbeState _state;
    private readonly TimeProvider _time;
    private readonly bool _keyConfigured;
    private readonly Lock _publish = new();
    private readonly ProbeWorker? _worker;
    private readonly Security.AuditLog _audit;
    private volatile ProbeView _current;

    public ProbeFeed(ProbeState state, TimeProvider time, Security.SecurityOptions security, Security.AuditLog audit, ProbeWorker? worker = null)
    {
        _state = state;
        _audit = audit;
        _worker = worker;
        _time = time;
        _keyConfigured = security.KeyConfigured;
        _current = Build();
        state.Changed += () =>
        {
            // Probes on two interfaces (and the control) change the state concurrently: building and publishing
            // under one lock keeps an older picture from replacing a newer one.
            lock (_publish)
            {
                _current = Build();
                Changed?.Invoke(_current);
            }
        };
    }

    public event Action<ProbeView>? Changed;

    public ProbeView Current => _current;

    public async Task<string?> SetCorrectionFactorAsync(ClaimsPrincipal user, string value)
    {
        var error = await SetAsync(user, value);
        _audit.Record(user, $"set correction factor {value}", error);
        return error;
    }

    private async Task<string?> SetAsync(ClaimsPrincipal user, string value)
    {
        if (!DashboardAccess.CanControl(user))
            return DashboardAccess.Refusal(_keyConfigured);
        if (!CorrectionFactor.TryParse(value, out var factor, out var error))
            return error;
        await _state.SetCorrectionFactorAsync(factor, _time.GetUtcNow());
        return null;
    }

    public Task<string?> ProbeNowAsync(ClaimsPrincipal user)
    {
        var error = !DashboardAccess.CanControl(user) ? DashboardAccess.Refusal(_keyConfigured)
            : _worker is null || !_state.Settings.Enabled ? "no probe targets are configured (RoutingFlow:Probe:Targets)"
            : null;
        if (error is null)
            _worker!.ProbeNow();
        _audit.Record(user, "probe now", error);
        return Task.FromResult(error);
    }

    private ProbeView Build() => new(_state.Settings.Enabled, _state.Factor, _state.Correction.Error,
        _state.Settings.Interfaces.Select(i => new InterfaceProbeView(i.Interface, i.Nic,
            _state.Capacity(i.Interface, ProbeDirection.Rx), _state.Capacity(i.Interface, ProbeDirection.Tx),
            _state.StateOf(i.Interface), _state.TargetsOf(i.Interface).Select(Target).ToList())).ToList());

    private TargetProbeView Target(TargetStatus t) => new(t.Index, t.Target.Server, t.Target.Method.Name(), t.Target.Direction.Name(),
        t.StateName, _state.Corrected(t.RawEstimateBps), t.Last?.Rtt?.TotalSeconds, t.LastSuccess, t.Last?.Error, t.NextRun,
        _state.History.Of(t.Interface, t.Index).Select(p => new ProbePoint(p.Time, _state.Corrected(p.RawEstimateBps), p.RttSeconds)).ToList())
    {
        CrossTrafficBps = t.Last?.Succeeded == true ? _state.Corrected(t.Last.CrossTrafficBps) : null,
    };
}
