using RoutingFlow.Capture.Decoding;
using RoutingFlow.Testing.Frames;

namespace RoutingFlow.Capture.Tests.Decoding;

/// <summary>Snap-length cuts are truncated (and keep what decoded); self-contradicting headers are malformed.</summary>
public class PacketDecoderDamageTests
{
    private static DecodedPacket Decode(int linkType, byte[] frame, int captured, int? wire = null)
    {
        PacketDecoder.Decode(linkType, frame.AsSpan(0, captured), wire ?? frame.Length, out var packet);
        return packet;
    }

    [Fact]
    public void Decode_TcpHeaderCutBySnapLength_IsTruncatedButKeepsAddresses()
    {
        var frame = FrameBuilder.Ethernet(FrameBuilder.Tcp("10.0.0.1", "10.0.0.2", payload: 1000));
        var p = Decode(LinkType.Ethernet, frame, captured: 40);

        Assert.Equal(DecodeStatus.Truncated, p.Status);
        Assert.True(p.HasIp);
        Assert.False(p.HasTransport);
        Assert.Equal(frame.Length, p.WireLength);
    }

    [Fact]
    public void Decode_Ipv6ExtensionCutBySnapLength_IsTruncatedButKeepsAddresses()
    {
        var ip = RawIp.Ipv6("fd00::1", "fd00::2", IpProtocol.Tcp, RawIp.Tcp(1, 2, payload: 100), Extension.HopByHop(4));
        var p = Decode(LinkType.Raw, ip, captured: 52);

        Assert.Equal(DecodeStatus.Truncated, p.Status);
        Assert.True(p.HasIp);
        Assert.Equal("fd00::2", p.Ip.Destination.ToString());
    }

    [Fact]
    public void Decode_EthernetCutBySnapLength_IsTruncatedWithoutIp()
    {
        var p = Decode(LinkType.Ethernet, FrameBuilder.Ethernet(FrameBuilder.Tcp("10.0.0.1", "10.0.0.2")), captured: 10);

        Assert.Equal(DecodeStatus.Truncated, p.Status);
        Assert.False(p.HasIp);
    }

    [Fact]
    public void Decode_FrameShorterThanEthernetOnTheWire_IsMalformed()
    {
        Assert.Equal(DecodeStatus.Malformed, Decode(LinkType.Ethernet, new byte[10], captured: 10).Status);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(0)]
    public void Decode_Ipv4HeaderLengthBelowFive_IsMalformed(int ihl)
    {
        var ip = RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Udp, RawIp.Udp(1, 2), ihl: ihl);
        var p = Decode(LinkType.Raw, ip, ip.Length);

        Assert.Equal(DecodeStatus.Malformed, p.Status);
        Assert.False(p.HasIp);
    }

    [Theory]
    [InlineData(500)] // past the frame
    [InlineData(12)]  // shorter than its own header
    public void Decode_Ipv4TotalLengthContradictingTheFrame_IsMalformedButKeepsAddresses(int totalLength)
    {
        var ip = RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Udp, RawIp.Udp(1, 2), totalLength: totalLength);
        var p = Decode(LinkType.Raw, ip, ip.Length);

        Assert.Equal(DecodeStatus.Malformed, p.Status);
        Assert.True(p.HasIp); // its wire bytes still belong to these addresses
        Assert.Equal(("10.0.0.1", "10.0.0.2"), (p.Ip.Source.ToString(), p.Ip.Destination.ToString()));
        Assert.False(p.HasTransport);
    }

    [Fact]
    public void Decode_Ipv4TotalLengthZero_IsTakenFromTheFrame_AsTso()
    {
        var ip = RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Tcp, RawIp.Tcp(1, 2, payload: 3000), totalLength: 0);
        var p = Decode(LinkType.Raw, ip, ip.Length);

        Assert.Equal(DecodeStatus.Ok, p.Status);
        Assert.Equal(3000, p.Transport.PayloadLength);
    }

    [Fact]
    public void Decode_Ipv6PayloadLengthPastFrame_IsMalformedButKeepsAddresses()
    {
        var ip = RawIp.Ipv6("fd00::1", "fd00::2", IpProtocol.Udp, RawIp.Udp(1, 2, 10));
        ip[5] = 200;
        var p = Decode(LinkType.Raw, ip, ip.Length);

        Assert.Equal(DecodeStatus.Malformed, p.Status);
        Assert.True(p.HasIp);
        Assert.Equal("fd00::2", p.Ip.Destination.ToString());
    }

    [Fact]
    public void Decode_Ipv6Jumbogram_TakesItsLengthFromTheFrame()
    {
        var ip = RawIp.Ipv6("fd00::1", "fd00::2", IpProtocol.Tcp, RawIp.Tcp(1, 2, payload: 70_000), Extension.HopByHop());
        ip[4] = ip[5] = 0; // payload length 0: the length is in the jumbo option (RFC 2675)
        var p = Decode(LinkType.Raw, ip, ip.Length);

        Assert.Equal(DecodeStatus.Ok, p.Status);
        Assert.Equal(70_000, p.Transport.PayloadLength);
    }

    [Fact]
    public void Decode_Ipv6ExtensionPastPayload_IsMalformed()
    {
        var ip = RawIp.Ipv6("fd00::1", "fd00::2", IpProtocol.Udp, [], Extension.HopByHop());
        ip[41] = 5; // claims 48 bytes, has 8

        Assert.Equal(DecodeStatus.Malformed, Decode(LinkType.Raw, ip, ip.Length).Status);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(0)]
    public void Decode_TcpDataOffsetBelowFive_IsMalformedButKeepsAddresses(int words)
    {
        var ip = RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Tcp, RawIp.Tcp(1, 2, payload: 8, dataOffsetWords: words));
        var p = Decode(LinkType.Raw, ip, ip.Length);

        Assert.Equal(DecodeStatus.Malformed, p.Status);
        Assert.True(p.HasIp);
        Assert.False(p.HasTransport);
    }

    [Fact]
    public void Decode_TcpDataOffsetPastSegment_IsMalformed()
    {
        var ip = RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Tcp, RawIp.Tcp(1, 2, dataOffsetWords: 5));
        ip[20 + 12] = 15 << 4;

        Assert.Equal(DecodeStatus.Malformed, Decode(LinkType.Raw, ip, ip.Length).Status);
    }

    [Fact]
    public void Decode_WrongIpVersion_IsMalformed()
    {
        var frame = FrameBuilder.Ethernet(FrameBuilder.Tcp("10.0.0.1", "10.0.0.2"));
        frame[14] = 0x55;

        Assert.Equal(DecodeStatus.Malformed, Decode(LinkType.Ethernet, frame, frame.Length).Status);
    }

    [Fact]
    public void Decode_UnknownLinkType_IsUnsupported()
    {
        Assert.Equal(DecodeStatus.UnsupportedLinkType, Decode(147, new byte[60], 60).Status);
    }

    [Fact]
    public void Decode_TooManyVlanTags_IsMalformed()
    {
        var tags = Enumerable.Repeat(((ushort)0x8100, (ushort)1), 9).ToArray();
        var frame = FrameBuilder.Ethernet(FrameBuilder.Tcp("10.0.0.1", "10.0.0.2"), tags);

        Assert.Equal(DecodeStatus.Malformed, Decode(LinkType.Ethernet, frame, frame.Length).Status);
    }

    [Fact]
    public void Decode_TcpOptionsCutBySnapLength_IsTruncatedButKeepsPorts()
    {
        var ip = RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Tcp, RawIp.Tcp(1234, 80, payload: 100, dataOffsetWords: 8));
        var p = Decode(LinkType.Raw, ip, captured: 20 + 24);

        Assert.Equal(DecodeStatus.Truncated, p.Status);
        Assert.True(p.HasTransport);
        Assert.Equal((1234, 80), (p.Transport.SourcePort, p.Transport.DestinationPort));
    }

    [Fact]
    public void Decode_Ipv4OptionsCutBySnapLength_IsTruncatedButKeepsAddresses()
    {
        var ip = RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Udp, RawIp.Udp(1, 2, 50), optionWords: 6);
        var p = Decode(LinkType.Raw, ip, captured: 30);

        Assert.Equal(DecodeStatus.Truncated, p.Status);
        Assert.True(p.HasIp);
        Assert.Equal("10.0.0.2", p.Ip.Destination.ToString());
        Assert.False(p.HasTransport);
    }

    [Fact]
    public void Decode_IcmpChecksumCutBySnapLength_IsTruncated()
    {
        var ip = RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Icmp, [8, 0, 0, 0, 0, 1, 0, 1]);

        Assert.Equal(DecodeStatus.Truncated, Decode(LinkType.Raw, ip, captured: 23).Status);
    }
}
