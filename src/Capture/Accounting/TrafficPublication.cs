using RoutingFlow.Capture.Decoding;

namespace RoutingFlow.Capture.Accounting;

/// <summary>
/// What the WAN accounting hands readers once a second: cumulative counters per (WAN, IP), copied, with the decode
/// counts and the table's evictions and overflows. Rates use <see cref="MonotonicMicros"/>.
/// </summary>
public sealed record TrafficPublication(
    long MonotonicMicros,
    IReadOnlyList<TrafficEntry> Entries,
    DecodeCounters Decode,
    long Evictions,
    long Overflows);
