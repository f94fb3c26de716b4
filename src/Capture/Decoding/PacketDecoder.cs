using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace RoutingFlow.Capture.Decoding;

/// <summary>
/// Decodes a captured frame in place: link, network and transport layers, no allocation and no exceptions.
/// A header cut short by the snap length is <see cref="DecodeStatus.Truncated"/>; one that contradicts itself or
/// the frame's wire length is <see cref="DecodeStatus.Malformed"/>.
/// The per-frame methods here and in the readers are <c>AggressiveInlining</c> so that a whole decode compiles into
/// its caller even as ahead-of-time (ReadyToRun) code, which gets none of the profile-guided inlining of tiered JIT
/// code: a short <c>analyze</c> run executes mostly that code (and libpcap's callback never tiers up).
/// </summary>
public static class PacketDecoder
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DecodeStatus Decode(int linkType, ReadOnlySpan<byte> frame, int wireLength, out DecodedPacket packet)
    {
        Clear(out packet);
        wireLength = Math.Max(wireLength, frame.Length);
        packet.WireLength = wireLength;
        packet.Status = DecodeCore(linkType, frame, wireLength, ref packet);
        return packet.Status;
    }

    /// <summary>
    /// Every field but the payload prefix's bytes, which only <see cref="DecodedPacket.PayloadCaptured"/> of are read:
    /// zeroing the whole struct cost ~9 ns a frame (measured side by side).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Clear(out DecodedPacket packet)
    {
        Unsafe.SkipInit(out packet);
        packet.Status = default;
        packet.Link = default;
        packet.HasIp = false;
        packet.Ip = default;
        packet.HasTransport = false;
        packet.Transport = default;
        packet.TcpOptions = default;
        packet.App = default;
        packet.PayloadCaptured = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DecodeStatus DecodeCore(int linkType, ReadOnlySpan<byte> frame, int wireLength, ref DecodedPacket packet)
    {
        var cut = frame.Length < wireLength;
        var link = ReadLink(linkType, frame, out packet.Link);
        if (link != DecodeStatus.Ok)
            return link == DecodeStatus.Truncated && !cut ? DecodeStatus.Malformed : link;
        var offset = packet.Link.PayloadOffset;
        var ip = frame[offset..];
        var ipWire = wireLength - offset;
        return packet.Link.EtherType switch
        {
            EtherTypes.Ipv4 => DecodeIpv4(ip, ipWire, cut, ref packet),
            EtherTypes.Ipv6 => DecodeIpv6(ip, ipWire, cut, ref packet),
            _ => DecodeStatus.NotIp,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DecodeStatus ReadLink(int linkType, ReadOnlySpan<byte> frame, out LinkHeader link)
    {
        var result = linkType switch
        {
            LinkType.Ethernet => EthernetReader.TryRead(frame, out link),
            LinkType.LinuxSll => CookedReader.TryReadSll(frame, out link),
            LinkType.LinuxSll2 => CookedReader.TryReadSll2(frame, out link),
            LinkType.Raw or LinkType.RawOpenBsd or LinkType.LinkTypeRaw => ReadRaw(frame, out link),
            LinkType.Ipv4 => Direct(EtherTypes.Ipv4, 0, out link),
            LinkType.Ipv6 => Direct(EtherTypes.Ipv6, 0, out link),
            LinkType.Null or LinkType.Loop => ReadLoopback(frame, linkType == LinkType.Loop, out link),
            _ => Unsupported(out link),
        };
        return result switch
        {
            LayerResult.Ok => DecodeStatus.Ok,
            LayerResult.Short => DecodeStatus.Truncated,
            _ when !LinkType.IsSupported(linkType) => DecodeStatus.UnsupportedLinkType,
            _ => DecodeStatus.Malformed,
        };
    }

    // Raw IP: the version nibble of the first byte says which.
    private static LayerResult ReadRaw(ReadOnlySpan<byte> frame, out LinkHeader link)
    {
        link = default;
        if (frame.IsEmpty)
            return LayerResult.Short;
        return (frame[0] >> 4) switch
        {
            4 => Direct(EtherTypes.Ipv4, 0, out link),
            6 => Direct(EtherTypes.Ipv6, 0, out link),
            _ => LayerResult.Bad,
        };
    }

    // BSD loopback: | address family (4, host order for NULL, network order for LOOP) | packet …
    private static LayerResult ReadLoopback(ReadOnlySpan<byte> frame, bool networkOrder, out LinkHeader link)
    {
        link = default;
        if (frame.Length < 4)
            return LayerResult.Short;
        var family = networkOrder ? BinaryPrimitives.ReadUInt32BigEndian(frame) : BinaryPrimitives.ReadUInt32LittleEndian(frame);
        return family switch
        {
            2 => Direct(EtherTypes.Ipv4, 4, out link),
            10 or 24 or 28 or 30 => Direct(EtherTypes.Ipv6, 4, out link),
            _ => Direct(0, 4, out link),
        };
    }

    private static LayerResult Direct(ushort etherType, int offset, out LinkHeader link)
    {
        link = new LinkHeader(offset, etherType, 0, CookedPacketType.Unknown, -1);
        return LayerResult.Ok;
    }

    private static LayerResult Unsupported(out LinkHeader link)
    {
        link = default;
        return LayerResult.Bad;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DecodeStatus DecodeIpv4(ReadOnlySpan<byte> ip, int ipWire, bool cut, ref DecodedPacket packet)
    {
        var result = Ipv4Reader.TryRead(ip, ipWire, out packet.Ip, out var optionsCut);
        if (result != LayerResult.Ok)
            return Unreadable(result, cut, ref packet);
        packet.HasIp = true;
        if (optionsCut)
            return cut ? DecodeStatus.Truncated : DecodeStatus.Malformed;
        return DecodeTransport(ip[packet.Ip.HeaderLength..], cut, ref packet);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DecodeStatus DecodeIpv6(ReadOnlySpan<byte> ip, int ipWire, bool cut, ref DecodedPacket packet)
    {
        var result = Ipv6Reader.TryRead(ip, ipWire, out packet.Ip, out var extensionsCut);
        if (result != LayerResult.Ok)
            return Unreadable(result, cut, ref packet);
        packet.HasIp = true;
        if (extensionsCut)
            return cut ? DecodeStatus.Truncated : DecodeStatus.Malformed;
        return DecodeTransport(ip[packet.Ip.HeaderLength..], cut, ref packet);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DecodeStatus DecodeTransport(ReadOnlySpan<byte> payload, bool cut, ref DecodedPacket packet)
    {
        if (packet.Ip.IsLaterFragment)
            return DecodeStatus.Ok;
        var length = packet.Ip.PayloadLength;
        var result = packet.Ip.Protocol switch
        {
            IpProtocol.Tcp => TransportReader.TryReadTcp(payload, length, out packet.Transport, out packet.TcpOptions),
            IpProtocol.Udp => TransportReader.TryReadUdp(payload, length, out packet.Transport),
            IpProtocol.Icmp or IpProtocol.Icmpv6 => TransportReader.TryReadIcmp(payload, length, out packet.Transport),
            _ => LayerResult.Ok,
        };
        packet.HasTransport = packet.Transport.HeaderLength > 0;
        if (packet.HasTransport)
            ReadPayload(payload, ref packet);
        return ToStatus(result, cut);
    }

    /// <summary>What the protocol inspection reads: a DNS message's first bytes (copied), a TCP payload's hello or request line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReadPayload(ReadOnlySpan<byte> segment, ref DecodedPacket packet)
    {
        var start = packet.Transport.HeaderLength;
        var length = Math.Min(segment.Length - start, packet.Transport.PayloadLength);
        if (length <= 0)
            return;
        var payload = segment.Slice(start, length);
        if (packet.Ip.Protocol == IpProtocol.Tcp)
            AppPayloadReader.Read(payload, ref packet);
        else if (packet.Ip.Protocol == IpProtocol.Udp && (packet.Transport.SourcePort == 53 || packet.Transport.DestinationPort == 53))
            CopyPrefix(payload, ref packet);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CopyPrefix(ReadOnlySpan<byte> payload, ref DecodedPacket packet)
    {
        var length = Math.Min(payload.Length, PayloadPrefix.Length);
        payload[..length].CopyTo(packet.Payload);
        packet.PayloadCaptured = length;
    }

    /// <summary>An IP header that did not decode: its addresses still count when only its lengths were wrong.</summary>
    private static DecodeStatus Unreadable(LayerResult result, bool cut, ref DecodedPacket packet)
    {
        packet.HasIp = result == LayerResult.Inconsistent;
        return ToStatus(result, cut);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DecodeStatus ToStatus(LayerResult result, bool cut) => result switch
    {
        LayerResult.Ok => DecodeStatus.Ok,
        LayerResult.Short when cut => DecodeStatus.Truncated,
        _ => DecodeStatus.Malformed,
    };
}
