using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Server.Fleet;

/// <summary>
/// The fleet monitor (<c>Fleet:Prometheus:Url</c> set): every <c>Fleet:Interval</c> it reads the whole fleet with one
/// query per metric, then runs each router's WANs through the local monitor's rule (<c>Monitor:Compare</c>,
/// <c>Threshold</c>, <c>FullAt</c>) and incident tracker (<c>SustainFor</c>, <c>ClearFor</c>, <c>MinIncidentGap</c>,
/// <c>TopIps</c>), one tracker per router and WAN. A WAN whose series are missing or older than <c>Fleet:StaleAfter</c>,
/// or every WAN while Prometheus fails, is <c>unknown</c> with the reason: never an overload, and an open incident
/// stays open until its WAN is seen again. <see cref="TickAsync"/> is the testable step.
/// </summary>
public sealed partial class FleetMonitor(
    FleetOptions options,
    MonitorOptions monitor,
    IFleetReader reader,
    FleetState state,
    IncidentIds ids,
    TimeProvider time,
    ILogger<FleetMonitor> logger) : BackgroundService
{
    private readonly Dictionary<(string Router, string Nic), Tracked> _wans = [];
    private readonly CompareMode? _compare = LoadRule.Parse(monitor.Compare);
    private readonly IncidentTiming _timing = new(monitor.SustainFor, monitor.ClearFor, monitor.MinIncidentGap, monitor.TopIps);
    private string? _lastError = "";
    private readonly Hosting.WallClock _clock = new(time, logger, "the fleet monitor");
    private readonly string _shownUrl = Security.Secrets.Url(options.Prometheus.Url) ?? "";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
            return;
        LogStarted(logger, _shownUrl, options.Interval.TotalSeconds, options.RouterLabel);
        using var timer = new PeriodicTimer(options.Interval, time);
        try
        {
            do
            {
                try
                {
                    state.Publish(await TickAsync(stoppingToken));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One read of the fleet and one check of every WAN; returns the view to publish.</summary>
    public async Task<FleetView> TickAsync(CancellationToken cancellationToken)
    {
        var (now, step) = _clock.Read();
        if (step != TimeSpan.Zero)
        {
            foreach (var tracked in _wans.Values)
                tracked.Tracker.Shift(step);
        }
        var started = time.GetTimestamp();
        FleetSample? sample = null;
        string? error = null;
        try
        {
            sample = await reader.ReadAsync(now, cancellationToken);
        }
        catch (PrometheusQueryException e)
        {
            error = e.Message;
        }
        var took = time.GetElapsedTime(started);
        NoteHealth(error);
        if (sample is not null)
        {
            foreach (var (router, wans) in sample.Routers)
            {
                foreach (var wan in wans)
                    Track(router, wan.Nic);
            }
        }
        var routers = _wans.Keys.GroupBy(k => k.Router, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var seen = sample?.Routers.GetValueOrDefault(g.Key);
            var views = g.OrderBy(k => k.Nic, StringComparer.Ordinal).Select(k => Check(k, seen?.FirstOrDefault(w => w.Nic == k.Nic), error, now)).ToList();
            var last = views.Max(v => v.LastSampleAt);
            return new FleetRouterView(g.Key, last, FleetView.Worst(views.Select(v => v.State)), views);
        }).ToList();
        return new FleetView(now, error is null ? "ok" : "failing", error, took, routers) { Sample = sample };
    }

    private void Track(string router, string nic)
    {
        if (!_wans.ContainsKey((router, nic)))
            _wans[(router, nic)] = new Tracked(new IncidentTracker(nic, _timing, ids.Next, router));
    }

    private FleetWanView Check((string Router, string Nic) key, FleetWanSample? seen, string? error, DateTimeOffset now)
    {
        var tracked = _wans[key];
        var reason = error is not null ? $"Prometheus failing: {error}"
            : seen is null ? "no series for this WAN in Prometheus's answer (its router is not scraped, or no longer exports it)"
            : seen.LastSampleAt is { } last && now - last > options.StaleAfter ? $"its newest sample is {(now - last).TotalSeconds:0} s old (Fleet:StaleAfter {options.StaleAfter.TotalSeconds:0} s)"
            : seen.ActualRxBps is null && seen.ActualTxBps is null ? "no traffic series (Fleet:Queries:ActualRx, ActualTx)"
            : null;
        WanReading reading = seen is null ? default : new(seen.CapacityRxBps, seen.CapacityTxBps, seen.ActualRxBps ?? 0, seen.ActualTxBps ?? 0, null);
        var load = reason is null ? LoadRule.Evaluate(reading, _compare, monitor.Threshold, monitor.FullAt) : new WanLoad(LoadState.Unknown, _compare ?? CompareMode.Combined, null);
        if (reason is null && load.State == LoadState.Unknown)
            reason = "no capacity series (Fleet:Queries:CapacityRx): no probe estimate on that router";
        tracked.Latest = seen;
        var change = tracked.Tracker.Step(now, reading, load, tracked);
        if (change != IncidentChange.None)
            OnChange(change, tracked.Tracker.Current!);
        var overloaded = load.State == LoadState.Overloaded;
        return new FleetWanView(key.Nic, Name(load.State), reason, load.Utilization,
            seen?.CapacityRxBps, seen?.CapacityTxBps, seen?.ActualRxBps, seen?.ActualTxBps, seen?.LastSampleAt, tracked.Tracker.Open,
            overloaded ? [.. seen!.TopRx.Take(monitor.TopIps)] : [], overloaded ? [.. seen!.TopTx.Take(monitor.TopIps)] : []);
    }

    private static string Name(LoadState state) => state switch
    {
        LoadState.Ok => "ok",
        LoadState.Full => "full",
        LoadState.Overloaded => "overloaded",
        _ => "unknown",
    };

    private void OnChange(IncidentChange change, Incident incident)
    {
        state.Record(change, incident);
        if (change is IncidentChange.Opened or IncidentChange.Reopened)
            LogOpened(logger, incident.Router, incident.Nic, incident.Id, incident.PeakUtilization * 100, incident.Over.Name() ?? "rx",
                string.Join(", ", incident.Culprits.Take(3).Select(c => $"{c.Ip} {c.Direction}")));
        else if (change == IncidentChange.Closed)
            LogClosed(logger, incident.Router, incident.Nic, incident.Id, incident.PeakUtilization * 100);
    }

    private void NoteHealth(string? error)
    {
        if (error == _lastError)
            return;
        if (error is null)
            LogHealthy(logger, _shownUrl);
        else
            LogFailing(logger, _shownUrl, error);
        _lastError = error;
    }

    /// <summary>A router's WAN: its tracker, and its latest sample for the tracker's top IPs.</summary>
    private sealed class Tracked(IncidentTracker tracker) : ITopIps
    {
        public IncidentTracker Tracker { get; } = tracker;

        public FleetWanSample? Latest { get; set; }

        public (IReadOnlyList<IpRate> Rx, IReadOnlyList<IpRate> Tx) Top(string nic, int count) =>
            Latest is { } s ? ([.. s.TopRx.Take(count)], [.. s.TopTx.Take(count)]) : ([], []);
    }

    [LoggerMessage(EventId = 2700, Level = LogLevel.Information, Message = "Fleet monitor reading {Url} every {Seconds} s, routers by label {Label}")]
    private static partial void LogStarted(ILogger logger, string url, double seconds, string label);

    [LoggerMessage(EventId = 2701, Level = LogLevel.Warning, Message = "Router {Router}: {Nic} overloaded (incident {Id}): utilisation {Percent:0}% of its capacity, {Over} over; top {Top}")]
    private static partial void LogOpened(ILogger logger, string router, string nic, long id, double percent, string over, string top);

    [LoggerMessage(EventId = 2702, Level = LogLevel.Information, Message = "Router {Router}: {Nic} back under its capacity (incident {Id} closed, peak {Percent:0}%)")]
    private static partial void LogClosed(ILogger logger, string router, string nic, long id, double percent);

    [LoggerMessage(EventId = 2703, Level = LogLevel.Warning, Message = "Fleet: Prometheus at {Url} failing: {Error}; every WAN unknown until it answers")]
    private static partial void LogFailing(ILogger logger, string url, string error);

    [LoggerMessage(EventId = 2704, Level = LogLevel.Information, Message = "Fleet: Prometheus at {Url} answers")]
    private static partial void LogHealthy(ILogger logger, string url);

    [LoggerMessage(EventId = 2705, Level = LogLevel.Error, Message = "Fleet check failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
