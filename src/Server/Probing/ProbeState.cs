using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Probing;

namespace RoutingFlow.Server.Probing;

/// <summary>
/// Everything the probes know, for the API, metrics, /status and the dashboard: each target's status on each
/// interface, the capacity per interface and direction, failure counts, the last hour, and the correction
/// factor. Values are kept raw; <see cref="Corrected"/> applies the current factor when they are reported.
/// </summary>
public sealed class ProbeState
{
    private readonly Dictionary<(string Interface, int Target), TargetStatus> _targets = [];
    private readonly Dictionary<(string Interface, string Server, string Reason), long> _failures = [];
    private readonly CapacityEstimator _estimator;
    private readonly Lock _lock = new();

    public ProbeState(ProbeSettings settings, CorrectionFactorStore correction, ProbeTraffic traffic, TimeProvider time)
    {
        Settings = settings;
        Correction = correction;
        Traffic = traffic;
        _estimator = new CapacityEstimator(Settings.Smoothing);
        var now = time.GetUtcNow();
        foreach (var itf in Settings.Interfaces)
        {
            for (var i = 0; i < Settings.Targets.Count; i++)
                _targets[(itf.Interface, i)] = TargetStatus.Pending(itf.Interface, itf.Nic, i, Settings.Targets[i], now);
        }
    }

    public event Action? Changed;

    /// <summary>After each probe, with the target's new status (the storage keeps probe results).</summary>
    public event Action<TargetStatus>? Probed;

    /// <summary>The correction factor changed: old, new, when.</summary>
    public event Action<double, double, DateTimeOffset>? CorrectionChanged;

    public ProbeSettings Settings { get; }

    public CorrectionFactorStore Correction { get; }

    public ProbeTraffic Traffic { get; }

    public ProbeHistory History { get; } = new(TimeSpan.FromHours(1));

    /// <summary>False once a probe could not be bound to its interface because the platform lacks SO_BINDTODEVICE.</summary>
    public bool BindingSupported { get; private set; } = InterfaceBinding.Supported;

    public double Factor => Correction.Current;

    public double? Corrected(double? raw) => raw * Factor;

    public TargetStatus Target(string itf, int index)
    {
        lock (_lock)
            return _targets[(itf, index)];
    }

    public IReadOnlyList<TargetStatus> TargetsOf(string itf)
    {
        lock (_lock)
            return _targets.Values.Where(t => t.Interface == itf).OrderBy(t => t.Index).ToList();
    }

    /// <summary>Capacity after correction, bits/s; null while unknown.</summary>
    public double? Capacity(string itf, ProbeDirection direction) => Corrected(_estimator.Capacity(itf, direction));

    /// <summary>The RTT of the interface's most recent probe that measured one; allocates nothing.</summary>
    public TimeSpan? LatestRtt(string itf)
    {
        lock (_lock)
        {
            TargetStatus? latest = null;
            foreach (var (key, status) in _targets)
            {
                if (key.Interface == itf && status.Last?.Rtt is not null && (latest is null || status.LastAttempt > latest.LastAttempt))
                    latest = status;
            }
            return latest?.Last!.Rtt;
        }
    }

    /// <summary>The interface probed for <paramref name="nic"/>, if any.</summary>
    public string? InterfaceOf(string nic)
    {
        foreach (var itf in Settings.Interfaces)
        {
            if (itf.Nic == nic)
                return itf.Interface;
        }
        return null;
    }

    /// <summary>pending (a target not measured yet, none failing), ok, degraded (some targets failing), unknown (all failing), or disabled.</summary>
    public string StateOf(string itf)
    {
        var targets = TargetsOf(itf);
        if (targets.Count == 0)
            return "disabled";
        var failed = targets.Count(t => t.State == TargetState.Failed);
        if (failed == 0)
            return targets.Any(t => t.State == TargetState.Pending) ? "pending" : "ok";
        return targets.Any(t => t.State == TargetState.Ok) ? "degraded" : "unknown";
    }

    public IReadOnlyDictionary<(string Interface, string Server, string Reason), long> Failures()
    {
        lock (_lock)
            return new Dictionary<(string, string, string), long>(_failures);
    }

    /// <summary>Takes a probe's result; returns the target's new status.</summary>
    public TargetStatus Record(string itf, int index, ProbeResult result, DateTimeOffset at, Func<TargetStatus, DateTimeOffset> nextRun)
    {
        TargetStatus status;
        lock (_lock)
        {
            var previous = _targets[(itf, index)];
            var estimate = _estimator.Record(itf, index, previous.Target.Direction, result);
            status = result.Succeeded
                ? previous with { State = TargetState.Ok, RawEstimateBps = estimate, Last = result, LastSuccess = at, LastAttempt = at, ConsecutiveFailures = 0 }
                : previous with { State = TargetState.Failed, RawEstimateBps = null, Last = result, LastAttempt = at, ConsecutiveFailures = previous.ConsecutiveFailures + 1 };
            status = status with { NextRun = nextRun(status) };
            _targets[(itf, index)] = status;
            if (result.Failure is { } reason)
                CountFailure(itf, previous.Target.Server, reason);
            BindingSupported &= result.Bound;
        }
        History.Add(itf, index, at, result.EstimateBps is null ? null : status.RawEstimateBps, result.Rtt);
        Probed?.Invoke(status);
        Metrics.Publications.Note();
        Changed?.Invoke();
        return status;
    }

    /// <summary>Makes every target due now (a "probe now" request).</summary>
    public void MakeAllDue(DateTimeOffset now)
    {
        lock (_lock)
        {
            foreach (var key in _targets.Keys.ToList())
                _targets[key] = _targets[key] with { NextRun = now };
        }
        Metrics.Publications.Note();
        Changed?.Invoke();
    }

    /// <summary>Sets the correction factor (every reported estimate changes at once); returns the error if it could not be saved.</summary>
    public async Task<string?> SetCorrectionFactorAsync(double value, DateTimeOffset now)
    {
        var old = Correction.Current;
        var error = await Correction.SetAsync(value, now);
        Metrics.Publications.Note();
        Changed?.Invoke();
        if (old != value)
            CorrectionChanged?.Invoke(old, value, now);
        return error;
    }

    private void CountFailure(string itf, string server, ProbeFailureReason reason)
    {
        var key = (itf, server, reason.Label());
        _failures[key] = _failures.GetValueOrDefault(key) + 1;
    }
}
