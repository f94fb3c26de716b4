namespace RoutingFlow.Capture.Network;

/// <summary>
/// Rates over the last 1, 5 and 15 minutes (and the last sample), exact rather than exponential: a ring of the
/// samples' byte deltas and durations, long enough for 15 minutes at one sample a second (fewer samples cover less
/// time: a window then averages over what it has). Two directions, bits per second. One writer.
/// </summary>
public sealed class SlidingAverages(int capacity = 900)
{
    public static readonly TimeSpan[] Windows = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)];
    private readonly (double Seconds, double Rx, double Tx)[] _samples = new (double, double, double)[capacity];
    private int _next;
    private int _count;

    /// <summary>Adds <paramref name="rxBytes"/> and <paramref name="txBytes"/> carried over <paramref name="seconds"/>.</summary>
    public void Add(double seconds, double rxBytes, double txBytes)
    {
        if (seconds <= 0)
            return;
        _samples[_next] = (seconds, Math.Max(0, rxBytes), Math.Max(0, txBytes));
        _next = (_next + 1) % _samples.Length;
        _count = Math.Min(_count + 1, _samples.Length);
    }

    /// <summary>The last sample's rates; zero before any.</summary>
    public (double RxBps, double TxBps) Current => Average(TimeSpan.Zero);

    /// <summary>
    /// The mean rates over the newest samples that together cover <paramref name="window"/> (at least one sample;
    /// all of them when they cover less).
    /// </summary>
    public (double RxBps, double TxBps) Average(TimeSpan window)
    {
        double seconds = 0, rx = 0, tx = 0;
        for (var i = 0; i < _count; i++)
        {
            var sample = _samples[(_next - 1 - i + _samples.Length) % _samples.Length];
            seconds += sample.Seconds;
            rx += sample.Rx;
            tx += sample.Tx;
            if (seconds >= window.TotalSeconds - 1e-9)
                break;
        }
        return seconds > 0 ? (rx * 8 / seconds, tx * 8 / seconds) : (0, 0);
    }

    /// <summary>Seconds the samples cover.</summary>
    public double CoveredSeconds
    {
        get
        {
            double seconds = 0;
            for (var i = 0; i < _count; i++)
                seconds += _samples[i].Seconds;
            return seconds;
        }
    }
}
