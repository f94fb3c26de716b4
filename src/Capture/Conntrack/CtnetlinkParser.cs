using System.Buffers.Binary;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Conntrack;

/// <summary>
/// Reads ctnetlink messages (<c>NETLINK_NETFILTER</c>, subsystem <c>NFNL_SUBSYS_CTNETLINK</c>) in place, as
/// <c>libnetfilter_conntrack</c> does, without allocating. After the netlink header:
/// <code>
/// struct nfgenmsg { u8 family; u8 version; be16 res_id; }
/// CTA_TUPLE_ORIG (1) / CTA_TUPLE_REPLY (2), nested:
///     CTA_TUPLE_IP (1): CTA_IP_V4_SRC (1), CTA_IP_V4_DST (2), CTA_IP_V6_SRC (3), CTA_IP_V6_DST (4)   (network order)
///     CTA_TUPLE_PROTO (2): CTA_PROTO_NUM (1, u8), CTA_PROTO_SRC_PORT (2, be16), CTA_PROTO_DST_PORT (3, be16)
/// CTA_MARK (8, be32), CTA_ID (12, be32)
/// CTA_COUNTERS_ORIG (9) / CTA_COUNTERS_REPLY (10), nested: CTA_COUNTERS_PACKETS (1, be64), CTA_COUNTERS_BYTES (2, be64)
/// </code>
/// Malformed input returns false; it never throws.
/// </summary>
public static class CtnetlinkParser
{
    public const ushort SubsystemCtnetlink = 1;
    public const byte MessageNew = 0;
    public const byte MessageGet = 1;
    public const byte MessageDelete = 2;
    private const ushort TupleOrig = 1, TupleReply = 2, MarkAttribute = 8, CountersOrig = 9, CountersReply = 10, IdAttribute = 12;
    private const ushort TupleIp = 1, TupleProto = 2;
    private const ushort IpV4Src = 1, IpV4Dst = 2, IpV6Src = 3, IpV6Dst = 4;
    private const ushort ProtoNum = 1, ProtoSrcPort = 2, ProtoDstPort = 3;
    private const ushort CounterPackets = 1, CounterBytes = 2;

    /// <summary>True when <paramref name="type"/> is a ctnetlink conntrack message (not an expectation's).</summary>
    public static bool IsConntrack(ushort type) => type >> 8 == SubsystemCtnetlink;

    /// <summary>Reads one ctnetlink message's payload (after the netlink header); false when it is not a connection with both tuples.</summary>
    public static bool TryParse(in NetlinkHeader header, ReadOnlySpan<byte> payload, out ConntrackMessage message)
    {
        message = default;
        if (!IsConntrack(header.Type) || payload.Length < 4)
            return false;
        var kind = (byte)(header.Type & 0xFF);
        if (kind is not (MessageNew or MessageDelete))
            return false;
        message.Kind = kind == MessageDelete ? ConntrackEventKind.Destroy
            : (header.Flags & (Netlink.FlagCreate | Netlink.FlagExcl)) != 0 ? ConntrackEventKind.New : ConntrackEventKind.Update;
        var attributes = payload[4..];
        var offset = 0;
        var tuples = 0;
        while (Netlink.TryNextAttribute(attributes, ref offset, out var type, out var value))
        {
            if (!ReadAttribute(type, value, ref message, ref tuples))
                return false;
        }
        return tuples == 3;
    }

    private static bool ReadAttribute(ushort type, ReadOnlySpan<byte> value, ref ConntrackMessage message, ref int tuples)
    {
        switch (type)
        {
            case TupleOrig:
                tuples |= 1;
                return TryReadTuple(value, out message.Original);
            case TupleReply:
                tuples |= 2;
                return TryReadTuple(value, out message.Reply);
            case MarkAttribute when value.Length >= 4:
                message.HasMark = true;
                message.Mark = BinaryPrimitives.ReadUInt32BigEndian(value);
                return true;
            case IdAttribute when value.Length >= 4:
                message.Id = BinaryPrimitives.ReadUInt32BigEndian(value);
                return true;
            case CountersOrig:
                message.HasCounters = true;
                ReadCounters(value, out message.OriginalPackets, out message.OriginalBytes);
                return true;
            case CountersReply:
                message.HasCounters = true;
                ReadCounters(value, out message.ReplyPackets, out message.ReplyBytes);
                return true;
            default:
                return true;
        }
    }

    private static bool TryReadTuple(ReadOnlySpan<byte> nested, out ConntrackTuple tuple)
    {
        tuple = default;
        IpAddr source = default, destination = default;
        byte protocol = 0;
        ushort sourcePort = 0, destinationPort = 0;
        var addresses = 0;
        var offset = 0;
        while (Netlink.TryNextAttribute(nested, ref offset, out var type, out var value))
        {
            if (type == TupleIp)
                addresses = ReadAddresses(value, out source, out destination);
            else if (type == TupleProto)
                ReadProto(value, out protocol, out sourcePort, out destinationPort);
        }
        if (addresses != 3)
            return false;
        tuple = new ConntrackTuple(source, destination, sourcePort, destinationPort, protocol);
        return true;
    }

    /// <summary>Returns a bit per address read (1 source, 2 destination), 0 when the families differ.</summary>
    private static int ReadAddresses(ReadOnlySpan<byte> nested, out IpAddr source, out IpAddr destination)
    {
        source = destination = default;
        int read = 0, v6 = 0;
        var offset = 0;
        while (Netlink.TryNextAttribute(nested, ref offset, out var type, out var value))
        {
            switch (type)
            {
                case IpV4Src when value.Length >= 4: source = IpAddr.ReadV4(value); read |= 1; break;
                case IpV4Dst when value.Length >= 4: destination = IpAddr.ReadV4(value); read |= 2; break;
                case IpV6Src when value.Length >= 16: source = IpAddr.ReadV6(value); read |= 1; v6 |= 1; break;
                case IpV6Dst when value.Length >= 16: destination = IpAddr.ReadV6(value); read |= 2; v6 |= 2; break;
            }
        }
        return v6 is 0 or 3 ? read : 0;
    }

    private static void ReadProto(ReadOnlySpan<byte> nested, out byte protocol, out ushort sourcePort, out ushort destinationPort)
    {
        protocol = 0;
        sourcePort = destinationPort = 0;
        var offset = 0;
        while (Netlink.TryNextAttribute(nested, ref offset, out var type, out var value))
        {
            if (type == ProtoNum && value.Length >= 1)
                protocol = value[0];
            else if (type == ProtoSrcPort && value.Length >= 2)
                sourcePort = BinaryPrimitives.ReadUInt16BigEndian(value);
            else if (type == ProtoDstPort && value.Length >= 2)
                destinationPort = BinaryPrimitives.ReadUInt16BigEndian(value);
        }
    }

    private static void ReadCounters(ReadOnlySpan<byte> nested, out ulong packets, out ulong bytes)
    {
        packets = bytes = 0;
        var offset = 0;
        while (Netlink.TryNextAttribute(nested, ref offset, out var type, out var value))
        {
            if (type == CounterPackets)
                packets = ReadCounter(value);
            else if (type == CounterBytes)
                bytes = ReadCounter(value);
        }
    }

    private static ulong ReadCounter(ReadOnlySpan<byte> value) => value.Length switch
    {
        >= 8 => BinaryPrimitives.ReadUInt64BigEndian(value),
        >= 4 => BinaryPrimitives.ReadUInt32BigEndian(value),
        _ => 0,
    };
}
