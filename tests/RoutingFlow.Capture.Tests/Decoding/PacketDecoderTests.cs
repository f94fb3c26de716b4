using RoutingFlow.Capture.Decoding;
using RoutingFlow.Testing.Frames;

namespace RoutingFlow.Capture.Tests.Decoding;

public class PacketDecoderTests
{
    private static DecodedPacket Decode(int linkType, byte[] frame, int? wire = null)
    {
        PacketDecoder.Decode(linkType, frame, wire ?? frame.Length, out var packet);
        return packet;
    }

    [Fact]
    public void Decode_EthernetIpv4Tcp_ReadsEveryLayer()
    {
        var p = Decode(LinkType.Ethernet, FrameBuilder.Ethernet(FrameBuilder.Tcp("10.0.0.1", "8.8.4.4", 40001, 443, 100, seq: 7, ack: 9)));

        Assert.Equal(DecodeStatus.Ok, p.Status);
        Assert.Equal("10.0.0.1", p.Ip.Source.ToString());
        Assert.Equal("8.8.4.4", p.Ip.Destination.ToString());
        Assert.Equal(IpProtocol.Tcp, p.Ip.Protocol);
        Assert.True(p.HasTransport);
        Assert.Equal((40001, 443), (p.Transport.SourcePort, p.Transport.DestinationPort));
        Assert.Equal((7u, 9u), (p.Transport.Sequence, p.Transport.Acknowledgment));
        Assert.Equal(100, p.Transport.PayloadLength);
        Assert.Equal(14 + 20 + 20 + 100, p.WireLength);
    }

    [Fact]
    public void Decode_VlanTaggedUdp_ReadsTagAndPorts()
    {
        var p = Decode(LinkType.Ethernet, FrameBuilder.Ethernet(FrameBuilder.Udp("192.168.1.5", "10.9.9.9", 1000, 53), (0x8100, 42)));

        Assert.Equal(DecodeStatus.Ok, p.Status);
        Assert.Equal(42, p.Link.VlanId);
        Assert.Equal((1000, 53), (p.Transport.SourcePort, p.Transport.DestinationPort));
    }

    [Fact]
    public void Decode_QinQIpv6_WalksBothTags()
    {
        var p = Decode(LinkType.Ethernet, FrameBuilder.Ethernet(FrameBuilder.Tcp("fd00::1", "2001:db8::2", 5, 6, 10), (0x88A8, 100), (0x8100, 200)));

        Assert.Equal(DecodeStatus.Ok, p.Status);
        Assert.Equal(100, p.Link.VlanId);
        Assert.Equal(14 + 8, p.Link.PayloadOffset);
        Assert.Equal("2001:db8::2", p.Ip.Destination.ToString());
        Assert.Equal(10, p.Transport.PayloadLength);
    }

    [Fact]
    public void Decode_PppoeSession_ReadsInnerIp()
    {
        var p = Decode(LinkType.Ethernet, FrameBuilder.Pppoe(FrameBuilder.Udp("100.64.1.2", "10.0.0.1")));

        Assert.Equal(DecodeStatus.Ok, p.Status);
        Assert.Equal("100.64.1.2", p.Ip.Source.ToString());
    }

    [Fact]
    public void Decode_Sll_ReadsPacketType()
    {
        var p = Decode(LinkType.LinuxSll, FrameBuilder.Sll(FrameBuilder.Tcp("10.0.0.1", "10.0.0.2"), packetType: 4));

        Assert.Equal(DecodeStatus.Ok, p.Status);
        Assert.Equal(CookedPacketType.Outgoing, p.Link.PacketType);
        Assert.Equal("10.0.0.2", p.Ip.Destination.ToString());
    }

    [Fact]
    public void Decode_Sll2_ReadsInterfaceIndex()
    {
        var p = Decode(LinkType.LinuxSll2, FrameBuilder.Sll2(FrameBuilder.Udp("fd00::5", "fd00::6", 7, 8), ifIndex: 7));

        Assert.Equal(DecodeStatus.Ok, p.Status);
        Assert.Equal(7, p.Link.IfIndex);
        Assert.Equal(CookedPacketType.Host, p.Link.PacketType);
        Assert.Equal((7, 8), (p.Transport.SourcePort, p.Transport.DestinationPort));
    }

    [Theory]
    [InlineData(LinkType.Raw, "10.1.1.1", "10.2.2.2")]
    [InlineData(LinkType.LinkTypeRaw, "fd00::1", "fd00::2")]
    [InlineData(LinkType.Ipv4, "10.1.1.1", "10.2.2.2")]
    [InlineData(LinkType.Ipv6, "fd00::1", "fd00::2")]
    public void Decode_RawIp_ReadsAddresses(int linkType, string src, string dst)
    {
        var p = Decode(linkType, FrameBuilder.Tcp(src, dst));

        Assert.Equal(DecodeStatus.Ok, p.Status);
        Assert.Equal(src, p.Ip.Source.ToString());
        Assert.Equal(dst, p.Ip.Destination.ToString());
    }

    [Fact]
    public void Decode_BsdLoopback_ReadsFamilyInBothByteOrders()
    {
        var ip = FrameBuilder.Udp("fd00::1", "fd00::2");
        var hostOrder = new byte[] { 10, 0, 0, 0 }.Concat(ip).ToArray();
        var networkOrder = new byte[] { 0, 0, 0, 24 }.Concat(ip).ToArray();

        Assert.Equal(DecodeStatus.Ok, Decode(LinkType.Null, hostOrder).Status);
        Assert.Equal(DecodeStatus.Ok, Decode(LinkType.Loop, networkOrder).Status);
        Assert.Equal("fd00::2", Decode(LinkType.Loop, networkOrder).Ip.Destination.ToString());
    }

    [Fact]
    public void Decode_Arp_IsNotIp()
    {
        var p = Decode(LinkType.Ethernet, FrameBuilder.Ethernet(new byte[28], 0x0806));

        Assert.Equal(DecodeStatus.NotIp, p.Status);
        Assert.False(p.HasIp);
    }

    [Fact]
    public void Decode_Ipv4Options_FindsTransportAfterThem()
    {
        var ip = RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Tcp, RawIp.Tcp(1111, 2222, payload: 5), optionWords: 3);
        var p = Decode(LinkType.Raw, ip);

        Assert.Equal(DecodeStatus.Ok, p.Status);
        Assert.Equal(32, p.Ip.HeaderLength);
        Assert.Equal((1111, 2222), (p.Transport.SourcePort, p.Transport.DestinationPort));
        Assert.Equal(5, p.Transport.PayloadLength);
    }

    [Fact]
    public void Decode_Ipv4Fragments_OnlyTheFirstCarriesPorts()
    {
        var first = Decode(LinkType.Raw, RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Udp, RawIp.Udp(9, 10, 40), moreFragments: true));
        var later = Decode(LinkType.Raw, RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Udp, new byte[40], fragmentOffset8: 6));

        Assert.True(first.HasTransport);
        Assert.Equal(9, first.Transport.SourcePort);
        Assert.Equal(DecodeStatus.Ok, later.Status);
        Assert.True(later.HasIp);
        Assert.True(later.Ip.IsLaterFragment);
        Assert.False(later.HasTransport);
    }

    [Fact]
    public void Decode_Ipv6ExtensionHeaders_WalksToTransport()
    {
        var ip = RawIp.Ipv6("fd00::1", "fd00::2", IpProtocol.Tcp, RawIp.Tcp(3333, 4444, payload: 12),
            Extension.HopByHop(), Extension.Routing(1), Extension.Fragment(0, more: true), Extension.DestinationOptions(2));
        var p = Decode(LinkType.Raw, ip);

        Assert.Equal(DecodeStatus.Ok, p.Status);
        Assert.Equal(IpProtocol.Tcp, p.Ip.Protocol);
        Assert.Equal(40 + 8 + 16 + 8 + 24, p.Ip.HeaderLength);
        Assert.Equal((3333, 4444), (p.Transport.SourcePort, p.Transport.DestinationPort));
        Assert.Equal(12, p.Transport.PayloadLength);
    }

    [Fact]
    public void Decode_Ipv6LaterFragment_HasNoPorts()
    {
        var p = Decode(LinkType.Raw, RawIp.Ipv6("fd00::1", "fd00::2", IpProtocol.Udp, new byte[32], Extension.Fragment(4, more: false)));

        Assert.Equal(DecodeStatus.Ok, p.Status);
        Assert.True(p.Ip.IsLaterFragment);
        Assert.False(p.HasTransport);
    }

    [Fact]
    public void Decode_Icmp_ReadsTypeAndCode()
    {
        var p = Decode(LinkType.Raw, RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Icmp, [3, 1, 0, 0, 0, 0, 0, 0]));

        Assert.Equal(DecodeStatus.Ok, p.Status);
        Assert.Equal((3, 1), (p.Transport.SourcePort, p.Transport.DestinationPort));
    }
}
