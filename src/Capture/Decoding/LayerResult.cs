namespace RoutingFlow.Capture.Decoding;

/// <summary>Outcome of one layer's <c>TryRead</c>: the caller turns <see cref="Short"/> into truncated or malformed.</summary>
public enum LayerResult : byte
{
    Ok,

    /// <summary>Fewer captured bytes than the header needs.</summary>
    Short,

    /// <summary>The header's own fields are inconsistent.</summary>
    Bad,

    /// <summary>
    /// The addresses were read but the header's lengths contradict the frame (an IP total length past the frame or
    /// shorter than the header): the frame is malformed, yet its wire bytes still belong to those addresses.
    /// </summary>
    Inconsistent,
}
