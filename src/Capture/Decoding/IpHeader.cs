using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Decoding;

/// <summary>
/// The network layer of one packet. <see cref="PayloadLength"/> comes from the header (wire bytes), not from what was
/// captured. <see cref="IsLaterFragment"/> means no transport header follows (only a first fragment carries ports).
/// </summary>
public readonly record struct IpHeader(
    IpAddr Source,
    IpAddr Destination,
    byte Protocol,
    int HeaderLength,
    int PayloadLength,
    bool IsLaterFragment,
    byte HopLimit);
