namespace RoutingFlow.Capture.Probing;

/// <summary>
/// Cumulative bytes over time for one transfer. <see cref="GoodputBps"/> discards the first share of the time
/// (TCP slow start, a shaper's initial burst) and returns the rate of the rest, in bits/s.
/// </summary>
public sealed class GoodputMeter
{
    private readonly List<(long Timestamp, long Bytes)> _samples = [];
    private readonly double _frequency;

    /// <param name="timestampFrequency">Ticks per second of the timestamps recorded (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    public GoodputMeter(long timestampFrequency, long start)
    {
        _frequency = timestampFrequency;
        _samples.Add((start, 0));
    }

    public long Bytes => _samples[^1].Bytes;

    public TimeSpan Elapsed => TimeSpan.FromSeconds((_samples[^1].Timestamp - _samples[0].Timestamp) / _frequency);

    /// <summary>Records the transfer's total bytes at <paramref name="timestamp"/> (never less than before).</summary>
    public void Record(long timestamp, long totalBytes) =>
        _samples.Add((Math.Max(timestamp, _samples[^1].Timestamp), Math.Max(totalBytes, _samples[^1].Bytes)));

    /// <summary>Goodput after discarding the first <paramref name="discardFirst"/> of the time; null when too little is left to measure.</summary>
    public double? GoodputBps(double discardFirst)
    {
        var (from, to) = Window(discardFirst);
        var seconds = (to.Timestamp - from.Timestamp) / _frequency;
        var bytes = to.Bytes - from.Bytes;
        return seconds >= 0.001 && bytes > 0 ? bytes * 8 / seconds : null;
    }

    /// <summary>The samples <see cref="GoodputBps"/> measures between: the last at or before the cut, and the last.</summary>
    public ((long Timestamp, long Bytes) From, (long Timestamp, long Bytes) To) Window(double discardFirst)
    {
        var (startTime, _) = _samples[0];
        var end = _samples[^1];
        var cut = startTime + (long)((end.Timestamp - startTime) * discardFirst);
        var baseline = _samples[0];
        foreach (var sample in _samples)
        {
            if (sample.Timestamp > cut)
                break;
            baseline = sample;
        }
        return (baseline, end);
    }
}
