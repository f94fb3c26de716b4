namespace RoutingFlow.Capture.Protocols;

/// <summary>Host names as they cross the wire (a DNS label, a TLS server name) into the lower-case text the name cache holds.</summary>
public static class HostNames
{
    /// <summary>
    /// Appends <paramref name="bytes"/> to <paramref name="into"/> at <paramref name="at"/>, ASCII lower-cased; false
    /// (nothing usable) when a byte is a space, a control character or not ASCII, or the text does not fit.
    /// </summary>
    public static bool TryAppendLower(ReadOnlySpan<byte> bytes, Span<char> into, ref int at)
    {
        if (at + bytes.Length > into.Length)
            return false;
        foreach (var b in bytes)
        {
            if (b <= 0x20 || b >= 0x7F)
                return false;
            into[at++] = (char)(b is >= (byte)'A' and <= (byte)'Z' ? b | 0x20 : b);
        }
        return true;
    }
}
