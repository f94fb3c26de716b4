namespace RoutingFlow.Capture.Accounting;

/// <summary>Cumulative counters of one tracked address. tx: frames it sent; rx: frames sent to it. Bytes are wire bytes.</summary>
public struct TrafficCounters
{
    public long TxPackets;
    public long TxBytes;
    public long RxPackets;
    public long RxBytes;

    /// <summary>Capture timestamp of the last frame, microseconds since the Unix epoch.</summary>
    public long LastSeenMicros;

    public readonly long TotalBytes => TxBytes + RxBytes;
}

/// <summary>A row copied out of a <see cref="TrafficTable"/> for readers on other threads.</summary>
public readonly record struct TrafficEntry(TrafficKey Key, TrafficCounters Counters);
