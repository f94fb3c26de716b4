using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Capture.Pipeline;

/// <summary>
/// What a consumer of one capture may need to attribute frames as the WAN accounting does: the interface and its
/// role, the WAN of a <c>wan</c> interface (<see cref="TrafficKey.NoNic"/> otherwise), the local/WAN classifier the
/// capture keeps current, and the mapping.
/// </summary>
public sealed record CaptureContext(CaptureSpec Spec, byte WanNic, IpClassifier Classifier, NicMapHolder Mapping)
{
    /// <summary>The capture's view of the conntrack table (null when conntrack is off); used on the capture thread only.</summary>
    public Conntrack.ConnectionAttribution? Connections { get; init; }
}

/// <summary>Makes the extra consumers (beyond the WAN accounting) of each capture the server opens.</summary>
public interface ICaptureConsumerFactory
{
    /// <summary>A consumer for this capture, or null when this factory has none for it.</summary>
    IPacketConsumer? Create(CaptureContext context);
}
