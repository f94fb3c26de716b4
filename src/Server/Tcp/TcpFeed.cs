using RoutingFlow.Capture.Tcp;
using RoutingFlow.Web.Tcp;

namespace RoutingFlow.Server.Tcp;

/// <summary>
/// The dashboard's and the API's source: summaries built on demand from <see cref="TcpHealth"/>, a per-second
/// history (last <see cref="HistoryLength"/> seconds per capture) appended by <see cref="TcpStatsWorker"/>, and the top
/// flows, which the analyzers rank only while someone asks (they cost a scan of each flow table).
/// </summary>
public sealed class TcpFeed(TcpHealth health, TimeProvider time) : ITcpFeed
{
    public const int HistoryLength = 900;
    private static readonly TimeSpan TopWait = TimeSpan.FromSeconds(3);
    private readonly Dictionary<string, Queue<TcpPoint>> _history = [];

    public event Action? Changed;

    public TcpSummaryView Summary() => TcpViews.Summary(health, health.Current());

    public IReadOnlyList<TcpPoint> History(string captureInterface)
    {
        lock (_history)
            return _history.TryGetValue(captureInterface, out var points) ? [.. points] : [];
    }

    /// <summary>Appends a point per capture (called once a second).</summary>
    public void Sample()
    {
        var now = time.GetUtcNow();
        foreach (var capture in health.Current())
        {
            if (capture.Latest is not { } s)
                continue;
            var point = new TcpPoint(now, TcpViews.Rates(capture.Rates), s.ActiveFlows, s.MeanWindow, TcpViews.Mean(s.AckRtt));
            lock (_history)
            {
                if (!_history.TryGetValue(capture.Interface, out var points))
                    _history[capture.Interface] = points = new Queue<TcpPoint>(HistoryLength + 1);
                points.Enqueue(point);
                if (points.Count > HistoryLength)
                    points.Dequeue();
            }
        }
        Changed?.Invoke();
    }

    public async Task<TcpFlowsView> FlowsAsync(int top, string sort, CancellationToken cancellationToken)
    {
        var order = Enum.Parse<FlowSort>(sort, ignoreCase: true);
        var captures = health.Current();
        foreach (var capture in captures)
            capture.Analyzer.RequestTopFlows();
        var deadline = time.GetTimestamp() + (long)(TopWait.TotalSeconds * time.TimestampFrequency);
        while (captures.Any(c => c.Analyzer.Latest is { Top: null }) && time.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken); // the capture threads publish within a second
        }
        var rows = captures.Where(c => c.Analyzer.Latest?.Top is not null).SelectMany(c => Ranked(c.Analyzer.Latest!.Top!, order)
            .Select(f => (Flow: f, Row: TcpViews.Flow(health, c.Interface, f))));
        var ranked = order switch
        {
            FlowSort.Loss => rows.OrderByDescending(r => r.Flow.LossEvents).ThenByDescending(r => r.Flow.Bytes),
            FlowSort.Bytes => rows.OrderByDescending(r => r.Flow.Bytes),
            _ => rows.OrderBy(r => Math.Min(r.Flow.ClientWindow ?? uint.MaxValue, r.Flow.ServerWindow ?? uint.MaxValue)).ThenByDescending(r => r.Flow.Bytes),
        };
        return new TcpFlowsView(sort.ToLowerInvariant(), ranked.Take(top).Select(r => r.Row).ToList());
    }

    private static IReadOnlyList<TcpFlowView> Ranked(TopFlowLists top, FlowSort sort) => sort switch
    {
        FlowSort.Loss => top.ByLoss,
        FlowSort.Bytes => top.ByBytes,
        _ => top.ByWindow,
    };
}
