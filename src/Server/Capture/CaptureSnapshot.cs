using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Server.Capture;

/// <summary>
/// What a capture thread publishes once a second: cumulative counters, copied for readers. Rates use
/// <see cref="MonotonicMicros"/> (immune to clock steps); idle eviction uses wall-clock capture timestamps.
/// </summary>
public sealed record CaptureSnapshot(
    long MonotonicMicros,
    IReadOnlyList<TrafficEntry> Entries,
    DecodeCounters Decode,
    CaptureStatistics Pcap,
    long Evictions,
    long Overflows,
    RoutingFlow.Capture.Conntrack.AttributionCounts Attribution)
{
    /// <summary>Frames lost before we saw them: kernel plus interface drops.</summary>
    public long Drops => Pcap.Dropped + Pcap.InterfaceDropped;
}

public enum CaptureState
{
    Starting,
    Running,
    Failed,
    Stopped,
}
