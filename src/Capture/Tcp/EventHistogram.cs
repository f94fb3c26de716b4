namespace RoutingFlow.Capture.Tcp;

/// <summary>
/// A fixed-bucket histogram kept by one writer without allocating: per bucket a count and the sum of its values
/// (so that an exporter can replay each bucket's mean and keep the exact sum). <see cref="Bounds"/> are upper bounds;
/// values above the last fall in a final +Inf bucket.
/// </summary>
public sealed class EventHistogram
{
    private readonly long[] _counts;
    private readonly double[] _sums;

    public EventHistogram(double[] bounds)
    {
        Bounds = bounds;
        _counts = new long[bounds.Length + 1];
        _sums = new double[bounds.Length + 1];
    }

    /// <summary>Gap sizes in bytes: 64 B to 16 MiB by powers of two.</summary>
    public static double[] GapBytesBounds { get; } = Enumerable.Range(6, 19).Select(e => Math.Pow(2, e)).ToArray();

    /// <summary>Round-trip times in seconds: 100 µs to 10 s.</summary>
    public static double[] RttSecondsBounds { get; } =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public double[] Bounds { get; }

    public void Observe(double value)
    {
        var i = 0;
        while (i < Bounds.Length && value > Bounds[i])
            i++;
        _counts[i]++;
        _sums[i] += value;
    }

    public HistogramSnapshot Snapshot() => new(Bounds, (long[])_counts.Clone(), (double[])_sums.Clone());
}

/// <summary>A histogram's cumulative per-bucket counts and sums (not cumulative across buckets).</summary>
public sealed record HistogramSnapshot(double[] Bounds, long[] Counts, double[] Sums)
{
    public long Count => Counts.Sum();

    public double Sum => Sums.Sum();
}
