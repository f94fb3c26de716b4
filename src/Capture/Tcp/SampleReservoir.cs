namespace RoutingFlow.Capture.Tcp;

/// <summary>
/// A uniform sample of a stream of values for its percentiles (Vitter's algorithm R, with a fixed-seed xorshift so
/// that a file always gives the same answer), and the exact mean of every value. Fixed memory, nothing allocated per
/// value. One writer.
/// </summary>
public sealed class SampleReservoir(int capacity = 16_384)
{
    private readonly double[] _samples = new double[capacity];
    private ulong _random = 0x9E3779B97F4A7C15;
    private double _sum;

    public long Count { get; private set; }

    public double? Mean => Count > 0 ? _sum / Count : null;

    public void Add(double value)
    {
        Count++;
        _sum += value;
        if (Count <= _samples.Length)
        {
            _samples[Count - 1] = value;
            return;
        }
        _random ^= _random << 13;
        _random ^= _random >> 7;
        _random ^= _random << 17;
        var slot = (long)(_random % (ulong)Count);
        if (slot < _samples.Length)
            _samples[slot] = value;
    }

    /// <summary>The percentiles (0–1) of the sample, nearest rank; nulls when empty. Sorts a copy.</summary>
    public double?[] Percentiles(params double[] quantiles)
    {
        var n = (int)Math.Min(Count, _samples.Length);
        if (n == 0)
            return [.. quantiles.Select(_ => (double?)null)];
        var sorted = _samples.AsSpan(0, n).ToArray();
        Array.Sort(sorted);
        return [.. quantiles.Select(q => (double?)sorted[Math.Clamp((int)Math.Ceiling(q * n) - 1, 0, n - 1)])];
    }
}
