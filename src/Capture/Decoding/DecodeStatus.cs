namespace RoutingFlow.Capture.Decoding;

/// <summary>How far a frame decoded. Every outcome is counted; none throws.</summary>
public enum DecodeStatus : byte
{
    /// <summary>Every header present decoded.</summary>
    Ok,

    /// <summary>A well-formed frame that carries no IP (ARP, LLDP, STP…).</summary>
    NotIp,

    /// <summary>A header was cut by the capture's snap length; what came before it is still used.</summary>
    Truncated,

    /// <summary>A header contradicts itself or the frame (IHL &lt; 5, lengths past the frame, TCP offset &lt; 5).</summary>
    Malformed,

    /// <summary>The capture's link type is not one the decoder reads.</summary>
    UnsupportedLinkType,
}
