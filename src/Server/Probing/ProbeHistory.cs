namespace RoutingFlow.Server.Probing;

/// <summary>Each target's probes over the last hour (raw estimates and RTT), for the dashboard's probe page.</summary>
public sealed class ProbeHistory(TimeSpan span)
{
    private const int MaxPoints = 3600;
    private readonly Dictionary<(string Interface, int Target), Queue<Point>> _points = [];
    private readonly Lock _lock = new();

    public void Add(string itf, int target, DateTimeOffset time, double? rawEstimateBps, TimeSpan? rtt)
    {
        lock (_lock)
        {
            if (!_points.TryGetValue((itf, target), out var queue))
                _points[(itf, target)] = queue = new Queue<Point>();
            queue.Enqueue(new Point(time, rawEstimateBps, rtt?.TotalSeconds));
            while (queue.Count > MaxPoints || (queue.Count > 0 && queue.Peek().Time < time - span))
                queue.Dequeue();
        }
    }

    public IReadOnlyList<Point> Of(string itf, int target)
    {
        lock (_lock)
            return _points.TryGetValue((itf, target), out var queue) ? [.. queue] : [];
    }

    public readonly record struct Point(DateTimeOffset Time, double? RawEstimateBps, double? RttSeconds);
}
