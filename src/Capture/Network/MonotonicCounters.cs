namespace RoutingFlow.Capture.Network;

/// <summary>
/// A kernel counter read again and again, made monotonic: a reading below the last one means the counter started
/// again from zero (the interface was deleted and re-created, a driver reset its statistics), so the counting goes on
/// from the total so far, as Prometheus' <c>rate()</c> reads a counter reset.
/// </summary>
public struct MonotonicCounter
{
    private long _base;
    private long _last;

    /// <summary>How often a reading went back (a reset).</summary>
    public int Resets { get; private set; }

    /// <summary>The total after this reading.</summary>
    public long Read(long reading)
    {
        if (reading < _last)
        {
            _base += _last;
            Resets++;
        }
        _last = reading;
        return _base + reading;
    }
}

/// <summary>An interface's <c>/proc/net/dev</c> counters made monotonic, each field on its own.</summary>
public sealed class MonotonicNetDev
{
    private MonotonicCounter _rxBytes, _rxPackets, _rxErrors, _rxDropped, _txBytes, _txPackets, _txErrors, _txDropped;

    /// <summary>How often the interface's byte counters went back.</summary>
    public int Resets => Math.Max(_rxBytes.Resets, _txBytes.Resets);

    public NetDevCounters Read(NetDevCounters c) => new(_rxBytes.Read(c.RxBytes), _rxPackets.Read(c.RxPackets), _rxErrors.Read(c.RxErrors),
        _rxDropped.Read(c.RxDropped), _txBytes.Read(c.TxBytes), _txPackets.Read(c.TxPackets), _txErrors.Read(c.TxErrors), _txDropped.Read(c.TxDropped));
}
