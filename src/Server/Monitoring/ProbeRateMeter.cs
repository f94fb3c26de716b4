namespace RoutingFlow.Server.Monitoring;

/// <summary>
/// The probes' own rate on one interface over the same window as the traffic rates (a ring of the cumulative
/// counters, one sample a tick), so that the monitor subtracts like from like. Allocates nothing after construction.
/// </summary>
public sealed class ProbeRateMeter(TimeSpan window, TimeSpan interval)
{
    private readonly (long Timestamp, long Rx, long Tx)[] _ring = new (long, long, long)[(int)Math.Ceiling(window / interval) + 2];
    private readonly double _windowSeconds = window.TotalSeconds;
    private int _count;
    private int _next;

    /// <summary>Adds the counters at <paramref name="timestamp"/> and returns the rate since the oldest sample inside the window, bits/s.</summary>
    public (double RxBps, double TxBps) Update(long timestamp, long frequency, long rxBytes, long txBytes)
    {
        _ring[_next] = (timestamp, rxBytes, txBytes);
        _next = (_next + 1) % _ring.Length;
        _count = Math.Min(_count + 1, _ring.Length);
        var oldest = _ring[(_next - _count + _ring.Length) % _ring.Length];
        for (var i = _count; i > 1; i--)
        {
            var sample = _ring[(_next - i + _ring.Length) % _ring.Length];
            if ((timestamp - sample.Timestamp) / (double)frequency <= _windowSeconds)
                break;
            oldest = _ring[(_next - i + 1 + _ring.Length) % _ring.Length];
        }
        var seconds = (timestamp - oldest.Timestamp) / (double)frequency;
        return seconds <= 0 ? (0, 0) : ((rxBytes - oldest.Rx) * 8 / seconds, (txBytes - oldest.Tx) * 8 / seconds);
    }
}
