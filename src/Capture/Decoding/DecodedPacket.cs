namespace RoutingFlow.Capture.Decoding;

/// <summary>
/// One frame as far as it decoded. A plain struct filled in place: <see cref="HasIp"/> and
/// <see cref="HasTransport"/> say which parts are valid whatever <see cref="Status"/> is (a truncated TCP header
/// still leaves the addresses usable).
/// </summary>
public struct DecodedPacket
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
}
