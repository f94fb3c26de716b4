using RoutingFlow.Capture.Tcp;
using RoutingFlow.Server.Tcp;
using RoutingFlow.Web.Tcp;

namespace RoutingFlow.Server.Dashboard;

/// <summary>
/// The TCP page's source: the summary and top flows from <see cref="TcpQueries"/>, and a per-second history (last
/// <see cref="HistoryLength"/> seconds per capture) sampled by its own timer.
/// </summary>
public sealed class TcpFeed(TcpQueries queries, TcpHealth health, TimeProvider time) : ITcpFeed, IHostedService, IDisposable
{
    public const int HistoryLength = 900;
    private readonly Dictionary<string, Queue<TcpPoint>> _history = [];
    private ITimer? _timer;

    public event Action? Changed;

    public TcpSummary Summary() => queries.Summary();

    public Task<TcpFlowList> FlowsAsync(int top, string sort, CancellationToken cancellationToken) => queries.FlowsAsync(top, sort, cancellationToken);

    public IReadOnlyList<TcpPoint> History(string captureInterface)
    {
        lock (_history)
            return _history.TryGetValue(captureInterface, out var points) ? [.. points] : [];
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(_ => Sample(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    /// <summary>Appends a point per capture (once a second).</summary>
    public void Sample()
    {
        var now = time.GetUtcNow();
        foreach (var capture in health.Current())
        {
            if (capture.Latest is not { } s)
                continue;
            var point = new TcpPoint(now, capture.Rates, s.ActiveFlows, s.MeanWindow, TcpViews.Mean(s.AckRtt));
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
}
