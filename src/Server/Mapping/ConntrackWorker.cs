using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Conntrack;
using RoutingFlow.Server.Capture;

namespace RoutingFlow.Server.Mapping;

/// <summary>
/// Keeps the conntrack table current (<see cref="ConntrackReader"/>) on a thread of its own, since the reader blocks
/// on its socket. An unreadable table (no conntrack in the kernel, no CAP_NET_ADMIN) is state <c>unavailable</c>
/// (mode <c>auto</c>) or <c>failed</c> (mode <c>on</c>) with the reason and the fix, logged once per change; it is
/// tried again after <c>Mapping:Conntrack:RetryInterval</c>, doubling up to ten times that, and meanwhile the mapping
/// decides. The router's interfaces the attribution rules read follow the interface watcher.
/// </summary>
public sealed partial class ConntrackWorker(ConntrackState state, ConntrackOptions options, RouterLayout layout, InterfaceWatcher interfaces, TimeProvider time,
    ILogger<ConntrackWorker> logger, INetlinkSocketFactory? sockets = null) : BackgroundService
{
    private const int EventWaitMilliseconds = 250;
    private readonly INetlinkSocketFactory _sockets = sockets ?? NetlinkSocket.Factory;
    private long _resyncsBefore;
    private bool _eventsOff;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (state.Table is null)
            return Task.CompletedTask;
        if (state.Accountant is not null)
        {
            ConntrackSysctls.EnsureOn(ConntrackSysctls.Accounting, out var accounting);
            state.Accounting = accounting;
            LogAccounting(logger, accounting);
        }
        if (!ConntrackSysctls.EnsureOn(ConntrackSysctls.Events, out var events))
        {
            _eventsOff = true;
            state.Warning = $"conntrack events are {events}; meanwhile the table is read whole every {options.ReadInterval.TotalSeconds:0.#} s";
            LogNoEvents(logger, state.Warning);
        }
        interfaces.Changed += snapshot => state.Router.Current = RouterInterfacesBuilder.Build(snapshot, layout);
        state.Router.Current = RouterInterfacesBuilder.Build(interfaces.Current, layout);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var table = state.Table;
        // A thread of its own, named so that its CPU shows apart (top -H, /proc/PID/task): it blocks on its socket.
        new Thread(() =>
        {
            Run(table, stoppingToken);
            done.SetResult();
        }) { IsBackground = true, Name = "conntrack" }.Start();
        return done.Task;
    }

    private void Run(ConntrackTable table, CancellationToken stoppingToken)
    {
        using var routes = new RtnetlinkRoutes(_sockets, time);
        var rules = new ConnectionWanRules(state.Router, layout.ConntrackMarks, routes);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var reader = new ConntrackReader(table, rules, _sockets, time);
            var accounting = state.Accountant is { } accountant ? new ConntrackBackend(accountant, reader, options, layout, interfaces, time) : null;
            var nextRead = 0L;
            try
            {
                reader.Open();
                failures = 0;
                Report(reader, routes, "running", null);
                while (!stoppingToken.IsCancellationRequested)
                {
                    reader.ReadEvents(EventWaitMilliseconds);
                    accounting?.ReadWhenDue();
                    if (_eventsOff && accounting is null && time.GetTimestamp() >= nextRead)
                    {
                        reader.Dump(); // no events: only full reads keep the table current
                        nextRead = time.GetTimestamp() + (long)(options.ReadInterval.TotalSeconds * time.TimestampFrequency);
                    }
                    Report(reader, routes, "running", null);
                }
            }
            catch (ConntrackUnavailableException e)
            {
                failures++;
                Report(reader, routes, state.Mode == ConntrackOptions.ModeOn ? "failed" : "unavailable", e);
                _resyncsBefore += reader.Resyncs;
                stoppingToken.WaitHandle.WaitOne(Backoff(failures));
            }
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var delay = options.RetryInterval * Math.Pow(2, Math.Min(failures - 1, 4));
        var max = options.RetryInterval * 10;
        return delay < max ? delay : max;
    }

    private void Report(ConntrackReader reader, RtnetlinkRoutes routes, string status, ConntrackUnavailableException? error)
    {
        var previous = state.Status;
        state.Status = new ConntrackStatus(state.Mode, status, error?.Reason, error?.Fix, reader.Messages, _resyncsBefore + reader.Resyncs,
            reader.LastDumpDuration == TimeSpan.Zero ? previous.LastDumpSeconds : reader.LastDumpDuration.TotalSeconds, routes.Requests)
        {
            Malformed = reader.Malformed,
            RouteError = routes.LastError,
        };
        if (previous.State != status || previous.Error != error?.Reason)
            LogState(status, error);
    }

    private void LogState(string status, ConntrackUnavailableException? error)
    {
        if (error is null)
            LogRunning(logger, state.Table!.Count);
        else if (status == "failed")
            LogFailed(logger, error.Reason, error.Fix);
        else
            LogUnavailable(logger, error.Reason, error.Fix);
    }

    [LoggerMessage(EventId = 2204, Level = LogLevel.Information, Message = "Capture:Backend is conntrack: rates come from the connections' counters; accounting {State}")]
    private static partial void LogAccounting(ILogger logger, string state);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogNoEvents(ILogger logger, string warning);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Conntrack attribution running ({Connections} connections tracked)")]
    private static partial void LogRunning(ILogger logger, int connections);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Conntrack attribution unavailable: {Reason}; the IP→WAN mapping decides meanwhile. Fix: {Fix}")]
    private static partial void LogUnavailable(ILogger logger, string reason, string fix);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Error, Message = "Conntrack attribution failed (Mapping:Conntrack:Mode is 'on'): {Reason}; the IP→WAN mapping decides meanwhile. Fix: {Fix}")]
    private static partial void LogFailed(ILogger logger, string reason, string fix);
}
