using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Server.Tcp;

/// <summary>
/// Every <c>RoutingFlow:Tcp:StatsInterval</c> (off with 0) the original tool's one-line summary per capture — each
/// event type's rate over the interval (checked once a second).
/// </summary>
public sealed partial class TcpStatsWorker(TcpHealth health, TcpAnalysisOptions options, TimeProvider time,
    ILogger<TcpStatsWorker> logger) : BackgroundService
{
    private readonly Dictionary<string, (TcpCounters Counters, long Micros)> _logged = [];
    private long _nextLog;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            LogIfDue();
        }
    }

    private void LogIfDue()
    {
        var interval = options.StatsInterval;
        var now = time.GetTimestamp();
        if (interval <= TimeSpan.Zero || now < _nextLog)
            return;
        _nextLog = now + (long)(interval.TotalSeconds * time.TimestampFrequency) - (time.TimestampFrequency / 10);
        foreach (var capture in health.Current())
        {
            if (capture.Latest is not { } s)
                continue;
            if (_logged.TryGetValue(capture.Interface, out var before) && s.MonotonicMicros > before.Micros)
            {
                var r = TcpRates.Between(before.Counters, s.Counters, (s.MonotonicMicros - before.Micros) / 1e6);
                LogStats(logger, capture.Interface, r.Packets, r.Missing, r.Duplicate, r.OutOfOrder, r.WindowShrink, r.ZeroWindow, s.ActiveFlows, s.MeanWindow);
            }
            _logged[capture.Interface] = (s.Counters, s.MonotonicMicros);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "tcp {Interface}: {Packets:F0} pkt/s, missing {Missing:F1}/s, duplicate {Duplicate:F1}/s, out-of-order {OutOfOrder:F1}/s, window shrink {Shrink:F1}/s, zero window {ZeroWindow:F1}/s, {Active} active, window {Window:F0} B")]
    private static partial void LogStats(ILogger logger, string @interface, double packets, double missing, double duplicate, double outOfOrder,
        double shrink, double zeroWindow, int active, double window);
}
