using RoutingFlow.Capture.Decoding;

namespace RoutingFlow.Capture.Sources;

/// <summary>One frame, decoded where libpcap handed it over, with its capture time.</summary>
public struct CapturedPacket
{
    /// <summary>Capture time, microseconds since the Unix epoch.</summary>
    public long TimestampMicros;

    public DecodedPacket Packet;
}
