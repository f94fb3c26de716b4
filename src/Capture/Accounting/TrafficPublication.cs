using RoutingFlow.Capture.Conntrack;
using RoutingFlow.Capture.Decoding;

namespace RoutingFlow.Capture.Accounting;

/// <summary>
/// What the WAN accounting hands readers once a second: cumulative counters per (WAN, IP), copied, with the decode
/// counts, the table's evictions and overflows, and the packets per WAN by what attributed them. Rates use <see cref="MonotonicMicros"/>.
/// </summary>
public sealed record TrafficPublication(
    long MonotonicMicros,
    IReadOnlyList<TrafficEntry> Entries,
    DecodeCounters Decode,
    long Evictions,
    long Overflows,
    AttributionCounts Attribution);
