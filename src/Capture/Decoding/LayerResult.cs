namespace RoutingFlow.Capture.Decoding;

/// <summary>Outcome of one layer's <c>TryRead</c>: the caller turns <see cref="Short"/> into truncated or malformed.</summary>
public enum LayerResult : byte
{
    Ok,

    /// <summary>Fewer captured bytes than the header needs.</summary>
    Short,

    /// <summary>The header's own fields are inconsistent.</summary>
    Bad,
}
