using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace RoutingFlow.Capture.Decoding;

/// <summary>Ethernet II with any number of 802.1Q / 802.1ad (QinQ) tags, and PPPoE sessions.</summary>
public static class EthernetReader
{
    private const int MaxTags = 8;

    // Ethernet II
    //  0                   6                   12        14
    // | destination MAC (6) | source MAC (6)  | EtherType | payload …
    // An 802.1Q/802.1ad tag sits before the EtherType: | TPID 0x8100/0x88A8/0x9100 (2) | PCP/DEI/VID (2) |
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LayerResult TryRead(ReadOnlySpan<byte> frame, out LinkHeader header)
    {
        header = default;
        if (frame.Length < 14)
            return LayerResult.Short;
        var result = TryReadEtherType(frame, 12, 14, CookedPacketType.Unknown, -1, out header);
        header = header with { SourceMac = Mac(frame[6..]) };
        return result;
    }

    /// <summary>Six network-order bytes as a 48-bit number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mac(ReadOnlySpan<byte> bytes) =>
        ((ulong)BinaryPrimitives.ReadUInt32BigEndian(bytes) << 16) | BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]);

    /// <summary>
    /// Reads the EtherType at <paramref name="typeOffset"/>, then any VLAN tags and a PPPoE session header that
    /// start at <paramref name="offset"/>. Shared by Ethernet and the Linux cooked headers, whose protocol field is
    /// an EtherType too (SLL2 keeps it at the front, away from the payload).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LayerResult TryReadEtherType(ReadOnlySpan<byte> frame, int typeOffset, int offset,
        CookedPacketType packetType, int ifIndex, out LinkHeader header)
    {
        header = default;
        ushort vlanId = 0;
        var type = BinaryPrimitives.ReadUInt16BigEndian(frame[typeOffset..]);
        for (var tags = 0; EtherTypes.IsVlanTag(type); tags++)
        {
            if (tags == MaxTags)
                return LayerResult.Bad;
            if (frame.Length < offset + 4)
                return LayerResult.Short;
            if (tags == 0)
                vlanId = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]) & 0x0FFF);
            type = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 2)..]);
            offset += 4;
        }
        if (type == EtherTypes.PppoeSession)
            return TryReadPppoe(frame, offset, vlanId, packetType, ifIndex, out header);
        header = new LinkHeader(offset, type, vlanId, packetType, ifIndex);
        return LayerResult.Ok;
    }

    // PPPoE session stage (RFC 2516) followed by the PPP protocol field
    // | ver/type (1) | code (1) | session id (2) | length (2) | PPP protocol (2) | payload …
    private static LayerResult TryReadPppoe(ReadOnlySpan<byte> frame, int offset, ushort vlanId,
        CookedPacketType packetType, int ifIndex, out LinkHeader header)
    {
        header = default;
        if (frame.Length < offset + 8)
            return LayerResult.Short;
        if (frame[offset] != 0x11)
            return LayerResult.Bad;
        var ppp = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 6)..]);
        var type = ppp switch
        {
            EtherTypes.PppIpv4 => EtherTypes.Ipv4,
            EtherTypes.PppIpv6 => EtherTypes.Ipv6,
            _ => (ushort)0,
        };
        header = new LinkHeader(offset + 8, type, vlanId, packetType, ifIndex);
        return LayerResult.Ok;
    }
}
