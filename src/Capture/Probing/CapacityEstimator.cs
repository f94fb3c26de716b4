namespace RoutingFlow.Capture.Probing;

/// <summary>
/// Per interface and direction, the capacity: the mean of its targets' latest estimates (each smoothed
/// exponentially with weight <c>Smoothing</c> on the newest), targets whose latest probe failed left out. No
/// target with an estimate: null (unknown), never zero. Raw values: the correction factor is applied on report.
/// </summary>
public sealed class CapacityEstimator(double smoothing)
{
    private readonly Dictionary<(string Interface, int Target), Entry> _entries = [];
    private readonly Lock _lock = new();

    /// <summary>Takes a probe's result; returns the target's smoothed estimate (null when the probe failed).</summary>
    public double? Record(string itf, int target, ProbeDirection direction, ProbeResult result)
    {
        lock (_lock)
        {
            _entries.TryGetValue((itf, target), out var previous);
            var smoothed = result.EstimateBps is { } bps
                ? previous?.Smoothed is { } old ? smoothing * bps + (1 - smoothing) * old : bps
                : (double?)null;
            _entries[(itf, target)] = new Entry(direction, smoothed ?? previous?.Smoothed, smoothed is not null);
            return smoothed;
        }
    }

    /// <summary>The target's smoothed estimate while its latest probe succeeded.</summary>
    public double? Estimate(string itf, int target)
    {
        lock (_lock)
            return _entries.TryGetValue((itf, target), out var e) && e.Current ? e.Smoothed : null;
    }

    /// <summary>Mean of the current estimates of the interface's targets in that direction; null when there is none. Allocates nothing (the monitor asks every second).</summary>
    public double? Capacity(string itf, ProbeDirection direction)
    {
        lock (_lock)
        {
            var (sum, count) = (0.0, 0);
            foreach (var (key, entry) in _entries)
            {
                if (entry.Current && entry.Direction == direction && key.Interface == itf)
                    (sum, count) = (sum + entry.Smoothed!.Value, count + 1);
            }
            return count > 0 ? sum / count : null;
        }
    }

    /// <param name="Current">The latest probe succeeded.</param>
    private sealed record Entry(ProbeDirection Direction, double? Smoothed, bool Current);
}
