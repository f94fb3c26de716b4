using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Probing;
using RoutingFlow.Server.Hosting;

namespace RoutingFlow.Server.Probing;

/// <summary>
/// Probes every target on every interface: interfaces concurrently, the targets of one interface one after
/// another (two saturating probes on one link would halve each other). The first round runs at start-up; then
/// each target runs again after its method's interval, or after a back-off while it fails (doubling up to
/// <see cref="MaxBackoff"/>). Each round logs the original tool's line; a failure is logged when its reason changes.
/// </summary>
public sealed partial class ProbeWorker(
    ProbeState state,
    IProbeRunner runner,
    TimeProvider time,
    ILogger<ProbeWorker> logger) : BackgroundService
{
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(10);
    private readonly ProbeSettings _settings = state.Settings;
    private readonly Dictionary<string, Wake> _wake = state.Settings.Interfaces.Select(i => i.Interface).Distinct().ToDictionary(i => i, _ => new Wake(time));
    private int _unboundLogged;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_settings.Enabled)
        {
            LogDisabled(logger);
            return;
        }
        var interfaces = string.Join(", ", _settings.Interfaces.Select(i => i.Interface));
        LogStarting(logger, _settings.Targets.Count, interfaces);
        try
        {
            await Task.WhenAll(_settings.Interfaces.Select(i => RunInterfaceAsync(i.Interface, stoppingToken)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Makes every target due now and wakes the interfaces' loops.</summary>
    public void ProbeNow()
    {
        state.MakeAllDue(time.GetUtcNow());
        foreach (var wake in _wake.Values)
            wake.Set();
    }

    /// <summary>Probes one target on one interface and records the result; returns its new status.</summary>
    public async Task<TargetStatus> ProbeOnceAsync(string itf, int index, CancellationToken cancellationToken)
    {
        var previous = state.Target(itf, index);
        var result = await runner.RunAsync(itf, previous.Target, cancellationToken);
        var status = state.Record(itf, index, result, time.GetUtcNow(), s => s.LastAttempt!.Value + DelayAfter(s));
        LogChange(previous, status);
        return status;
    }

    /// <summary>Runs the targets of <paramref name="itf"/> that are due, one after another, and logs the round's line.</summary>
    public async Task<int> ProbeDueAsync(string itf, CancellationToken cancellationToken)
    {
        var results = new List<(string, ProbeResult)>();
        foreach (var target in state.TargetsOf(itf).Where(t => t.NextRun <= time.GetUtcNow()))
        {
            var status = await ProbeOnceAsync(itf, target.Index, cancellationToken);
            results.Add((status.Target.Server, status.Last!));
        }
        if (results.Count == 0)
            return 0;
        var line = ProbeRoundLine.Format(itf, results, state.Factor);
        LogRound(logger, line);
        return results.Count;
    }

    /// <summary>The interval after a success; after failures, the interval doubled per failure up to <see cref="MaxBackoff"/> (or the interval, if longer).</summary>
    public TimeSpan DelayAfter(TargetStatus status)
    {
        var interval = _settings.IntervalOf(status.Target.Method);
        if (status.ConsecutiveFailures == 0)
            return interval;
        var backoff = interval * Math.Pow(2, Math.Min(status.ConsecutiveFailures - 1, 20));
        var cap = interval > MaxBackoff ? interval : MaxBackoff;
        return backoff < cap ? backoff : cap;
    }

    public override void Dispose()
    {
        foreach (var wake in _wake.Values)
            wake.Dispose();
        base.Dispose();
    }

    private async Task RunInterfaceAsync(string itf, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ProbeDueAsync(itf, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRoundFailed(logger, itf, e);
            }
            var next = state.TargetsOf(itf).Min(t => t.NextRun) - time.GetUtcNow();
            if (next > TimeSpan.Zero)
                await _wake[itf].SleepAsync(next, cancellationToken);
        }
    }

    private void LogChange(TargetStatus previous, TargetStatus status)
    {
        var result = status.Last!;
        if (!result.Bound && Interlocked.Exchange(ref _unboundLogged, 1) == 0)
            LogUnbound(logger);
        if (status.State == TargetState.Failed && (previous.State != TargetState.Failed || previous.Last?.Failure != result.Failure))
            LogFailing(logger, status.Target, status.Interface, result.Error!, status.NextRun - status.LastAttempt!.Value);
        else if (status.State == TargetState.Ok && previous.State == TargetState.Failed)
            LogRecovered(logger, status.Target, status.Interface);
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Capacity probes: no targets configured (RoutingFlow:Probe:Targets), nothing is probed")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Capacity probes: {Targets} targets on {Interfaces}")]
    private static partial void LogStarting(ILogger logger, int targets, string interfaces);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogRound(ILogger logger, string line);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Probe {Target} on {Interface} failed: {Error}; next try in {Backoff}")]
    private static partial void LogFailing(ILogger logger, ProbeTarget target, string @interface, string error, TimeSpan backoff);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "Probe {Target} on {Interface} recovered")]
    private static partial void LogRecovered(ILogger logger, ProbeTarget target, string @interface);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "This platform cannot bind a socket to an interface (SO_BINDTODEVICE): the probes leave by whatever interface the OS chooses, not necessarily their WAN's")]
    private static partial void LogUnbound(ILogger logger);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Error, Message = "Probe round on {Interface} failed")]
    private static partial void LogRoundFailed(ILogger logger, string @interface, Exception exception);
}
