using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Probing;
using RoutingFlow.Server.Probing;
using RoutingFlow.Server.Traffic;

namespace RoutingFlow.Server.Monitoring;

/// <summary>
/// Every <c>Monitor:Interval</c>, per WAN: its capacity from the probes (correction applied) against its actual
/// traffic from the published traffic view (never the capture threads), minus the probes' own bytes where the
/// capture counts them; the load rule; the incident tracker; then one published view. <see cref="Tick"/> is the
/// testable step.
/// </summary>
public sealed partial class OverloadMonitor : BackgroundService, ITopIps
{
    private readonly MonitorOptions _options;
    private readonly TrafficState _traffic;
    private readonly ProbeState _probes;
    private readonly MonitorState _state;
    private readonly TimeProvider _time;
    private readonly ILogger<OverloadMonitor> _logger;
    private readonly CompareMode? _compare;
    private readonly Wan[] _wans;
    private TrafficSnapshot _view = TrafficSnapshot.Empty;
    private readonly Hosting.WallClock _clock;

    public OverloadMonitor(RouterLayout layout, CaptureOptions capture, MonitorOptions options, TrafficState traffic, ProbeState probes, MonitorState state, IncidentIds ids,
        TimeProvider time, ILogger<OverloadMonitor> logger)
    {
        (_options, _traffic, _probes, _state, _time, _logger) = (options, traffic, probes, state, time, logger);
        _clock = new Hosting.WallClock(time, logger, "the overload monitor");
        var monitor = options;
        _compare = LoadRule.Parse(monitor.Compare);
        var timing = new IncidentTiming(monitor.SustainFor, monitor.ClearFor, monitor.MinIncidentGap, monitor.TopIps);
        _wans = layout.Nics.Select(n => new Wan(n.Name, probes.InterfaceOf(n.Name), SubtractsProbes(layout, n),
            new IncidentTracker(n.Name, timing, ids.Next), new ProbeRateMeter(capture.RateWindow, monitor.Interval))).ToArray();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    _state.Publish(Tick());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One check of every WAN; returns the view to publish.</summary>
    public MonitorView Tick()
    {
        var (now, step) = _clock.Read();
        if (step != TimeSpan.Zero)
        {
            foreach (var wan in _wans)
                wan.Tracker.Shift(step);
        }
        var statuses = new WanStatus[_wans.Length];
        for (var i = 0; i < _wans.Length; i++)
            statuses[i] = Check(i, now);
        return new MonitorView(now, statuses);
    }

    /// <summary>The busiest IPs of a WAN in the current traffic view, by rx and by tx.</summary>
    public (IReadOnlyList<IpRate> Rx, IReadOnlyList<IpRate> Tx) Top(string nic, int count)
    {
        var hosts = _view.HostsOf(nic);
        return (hosts.Where(h => h.RxBps > 0).OrderByDescending(h => h.RxBps).Take(count).Select(h => new IpRate(h.Ip.ToString(), h.RxBps, h.Name)).ToList(),
            hosts.Where(h => h.TxBps > 0).OrderByDescending(h => h.TxBps).Take(count).Select(h => new IpRate(h.Ip.ToString(), h.TxBps, h.Name)).ToList());
    }

    /// <summary>
    /// The detection step of one WAN (its reading, the rule, the incident tracker): allocates nothing while the WAN
    /// is not overloaded and has no open incident. Publishing its status is the caller's.
    /// </summary>
    public WanStep Detect(int index, DateTimeOffset now)
    {
        if (index == 0)
            _view = _traffic.Current;
        var wan = _wans[index];
        var reading = Read(wan);
        var load = LoadRule.Evaluate(reading, _compare, _options.Threshold, _options.FullAt);
        var change = wan.Tracker.Step(now, reading, load, this);
        if (change != IncidentChange.None)
            OnChange(change, wan.Tracker.Current!);
        return new WanStep(reading, load, change);
    }

    public int WanCount => _wans.Length;

    private WanStatus Check(int index, DateTimeOffset now)
    {
        var wan = _wans[index];
        var step = Detect(index, now);
        var (topRx, topTx) = step.Load.State == LoadState.Overloaded ? Top(wan.Nic, _options.TopIps) : ([], []);
        return new WanStatus(wan.Nic, now, step.Reading, step.Load, wan.Tracker.Open, topRx, topTx);
    }

    private WanReading Read(Wan wan)
    {
        var (rx, tx) = (0.0, 0.0);
        var wans = _view.Wans;
        for (var i = 0; i < wans.Count; i++) // by index: enumerating the interface would box an enumerator each second
        {
            if (wans[i].Nic == wan.Nic)
                (rx, tx) = (wans[i].RxBps, wans[i].TxBps);
        }
        if (wan.Interface is not { } itf)
            return new WanReading(null, null, rx, tx, null);
        var (probeRx, probeTx) = _probes.Traffic.Of(itf);
        var probeRate = wan.ProbeRate.Update(_time.GetTimestamp(), _time.TimestampFrequency, probeRx, probeTx);
        if (wan.SubtractProbes)
            (rx, tx) = (Math.Max(0, rx - probeRate.RxBps), Math.Max(0, tx - probeRate.TxBps));
        return new WanReading(_probes.Capacity(itf, ProbeDirection.Rx), _probes.Capacity(itf, ProbeDirection.Tx), rx, tx, _probes.LatestRtt(itf));
    }

    private void OnChange(IncidentChange change, Incident incident)
    {
        _state.Record(change, incident);
        if (change is IncidentChange.Opened or IncidentChange.Reopened)
            LogOpened(_logger, incident.Nic, incident.Id, incident.PeakUtilization * 100, incident.Over.Name() ?? "rx",
                string.Join(", ", incident.Culprits.Count > 0 ? incident.Culprits.Where(c => c.Direction == (incident.Over == OverDirection.Tx ? "tx" : "rx")).Select(c => c.Ip) : incident.TopRx.Select(i => i.Ip)));
        else if (change == IncidentChange.Closed)
            LogClosed(_logger, incident.Nic, incident.Id, incident.PeakUtilization * 100);
    }

    /// <summary>The probes' bytes are in the WAN's traffic only where the WAN's own interface is captured (role wan).</summary>
    private static bool SubtractsProbes(RouterLayout layout, RoutingFlow.Capture.Mapping.NicDeclaration nic) =>
        layout.Captures.Any(c => c.Role == CaptureRole.Wan && c.Nic == nic.Name);

    /// <summary>One WAN's detection step: its reading, its load, and what changed in its incidents.</summary>
    public readonly record struct WanStep(WanReading Reading, WanLoad Load, IncidentChange Change);

    private sealed record Wan(string Nic, string? Interface, bool SubtractProbes, IncidentTracker Tracker, ProbeRateMeter ProbeRate);

    [LoggerMessage(EventId = 1300, Level = LogLevel.Warning, Message = "{Nic} overloaded (incident {Id}): utilisation {Percent:0}% of its capacity, {Over} over; top {Top}")]
    private static partial void LogOpened(ILogger logger, string nic, long id, double percent, string over, string top);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "{Nic} back under its capacity (incident {Id} closed, peak {Percent:0}%)")]
    private static partial void LogClosed(ILogger logger, string nic, long id, double percent);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Error, Message = "Overload check failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
