namespace RoutingFlow.Capture.Decoding;

/// <summary>
/// One frame as far as it decoded. A plain struct filled in place: <see cref="HasIp"/> and
/// <see cref="HasTransport"/> say which parts are valid whatever <see cref="Status"/> is (a truncated TCP header
/// still leaves the addresses usable).
/// </summary>
public struct DecodedPacket : IEquatable<DecodedPacket>
{
    public DecodeStatus Status;

    /// <summary>Length of the frame on the wire (the capture header's original length).</summary>
    public int WireLength;

    public LinkHeader Link;

    public bool HasIp;

    public IpHeader Ip;

    public bool HasTransport;

    public TransportHeader Transport;

    /// <summary>TCP options (valid for TCP when <see cref="HasTransport"/>).</summary>
    public TcpOptions TcpOptions;

    /// <summary>What the decoder read of a TCP payload (a TLS hello, an HTTP request or status line).</summary>
    public AppMessage App;

    /// <summary>
    /// How many bytes <see cref="Payload"/> holds (0 to <see cref="PayloadPrefix.Length"/>): the first bytes of a DNS
    /// message (UDP port 53: header, question and the first answers), or a TLS ClientHello's server name. Copied because
    /// the capture's ring is handed back to the kernel before the consumers run.
    /// </summary>
    public int PayloadCaptured;

    public PayloadPrefix Payload;

    /// <summary>The captured payload prefix (only these bytes of <see cref="Payload"/> are meaningful; the rest are left over).</summary>
    public readonly ReadOnlySpan<byte> PayloadBytes => System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(
        ref System.Runtime.CompilerServices.Unsafe.AsRef(in Payload[0]), PayloadCaptured);

    public readonly bool Equals(DecodedPacket other) => Status == other.Status && WireLength == other.WireLength && Link == other.Link
        && HasIp == other.HasIp && Ip.Equals(other.Ip) && HasTransport == other.HasTransport && Transport == other.Transport
        && TcpOptions.Equals(other.TcpOptions) && App == other.App && PayloadBytes.SequenceEqual(other.PayloadBytes);

    public override readonly bool Equals(object? obj) => obj is DecodedPacket other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Status, WireLength, Link, Ip, Transport, App, PayloadCaptured);

    public static bool operator ==(DecodedPacket left, DecodedPacket right) => left.Equals(right);

    public static bool operator !=(DecodedPacket left, DecodedPacket right) => !left.Equals(right);
}

/// <summary>
/// Up to <see cref="Length"/> bytes of a transport payload: room for a DNS response's header, question and several
/// answers, or a full server name (RFC 1035 caps names at 255). Only DNS and TLS hellos fill it, and only the bytes
/// they hold are written or read, so a bigger prefix costs the batch memory, not time.
/// </summary>
[System.Runtime.CompilerServices.InlineArray(Length)]
public struct PayloadPrefix : IEquatable<PayloadPrefix>
{
    public const int Length = 256;

    private byte _element;

    public readonly bool Equals(PayloadPrefix other) => ((ReadOnlySpan<byte>)this).SequenceEqual(other);

    public override readonly bool Equals(object? obj) => obj is PayloadPrefix other && Equals(other);

    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(this);
        return hash.ToHashCode();
    }

    public static bool operator ==(PayloadPrefix left, PayloadPrefix right) => left.Equals(right);

    public static bool operator !=(PayloadPrefix left, PayloadPrefix right) => !left.Equals(right);
}
