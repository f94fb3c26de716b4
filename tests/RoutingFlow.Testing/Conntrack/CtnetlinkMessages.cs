using System.Buffers.Binary;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Conntrack;

namespace RoutingFlow.Testing.Conntrack;

/// <summary>Builds ctnetlink messages as the kernel sends them (ctnetlink_fill_info's layout), for the parser and reader tests.</summary>
public static class CtnetlinkMessages
{
    private const ushort Nested = 0x8000;

    public static byte[] Message(ConntrackTuple original, ConntrackTuple reply, uint mark = 0, byte kind = CtnetlinkParser.MessageNew,
        ushort flags = 0, uint sequence = 0, (ulong Packets, ulong Bytes)? originalCounters = null, (ulong Packets, ulong Bytes)? replyCounters = null)
    {
        var body = new List<byte> { (byte)(original.IsV6 ? 10 : 2), 0, 0, 0 };
        Attribute(body, 1 | Nested, Tuple(original));
        Attribute(body, 2 | Nested, Tuple(reply));
        Attribute(body, 3, BigEndian32(0x18e)); // CTA_STATUS
        Attribute(body, 8, BigEndian32(mark));
        if (originalCounters is { } o)
            Attribute(body, 9 | Nested, Counters(o.Packets, o.Bytes));
        if (replyCounters is { } r)
            Attribute(body, 10 | Nested, Counters(r.Packets, r.Bytes));
        Attribute(body, 12, BigEndian32(0xabcdef));
        var message = new byte[Netlink.HeaderLength + body.Count];
        Netlink.WriteHeader(message, message.Length, (ushort)((CtnetlinkParser.SubsystemCtnetlink << 8) | kind), flags, sequence);
        body.CopyTo(message, Netlink.HeaderLength);
        return message;
    }

    /// <summary>A NEW event (<c>NLM_F_CREATE | NLM_F_EXCL</c>).</summary>
    public static byte[] New(ConntrackTuple original, ConntrackTuple reply, uint mark = 0) =>
        Message(original, reply, mark, flags: Netlink.FlagCreate | Netlink.FlagExcl);

    public static byte[] Done(uint sequence)
    {
        var message = new byte[Netlink.HeaderLength + 4];
        Netlink.WriteHeader(message, message.Length, Netlink.Done, Netlink.FlagMulti, sequence);
        return message;
    }

    public static byte[] Error(int errno, uint sequence)
    {
        var message = new byte[Netlink.HeaderLength + 4 + Netlink.HeaderLength];
        Netlink.WriteHeader(message, message.Length, Netlink.Error, 0, sequence);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(Netlink.HeaderLength), -errno);
        return message;
    }

    public static ConntrackTuple Tuple(string src, string dst, ushort sport, ushort dport, byte protocol = 6) =>
        new(Parse(src), Parse(dst), sport, dport, protocol);

    private static IpAddr Parse(string text) => IpAddr.TryParse(text, out var ip) ? ip : throw new ArgumentException(text);

    private static List<byte> Tuple(ConntrackTuple t)
    {
        var ip = new List<byte>();
        Attribute(ip, (ushort)(t.IsV6 ? 3 : 1), Address(t.Source));
        Attribute(ip, (ushort)(t.IsV6 ? 4 : 2), Address(t.Destination));
        var proto = new List<byte>();
        Attribute(proto, 1, [t.Protocol]);
        Attribute(proto, 2, BigEndian16(t.SourcePort));
        Attribute(proto, 3, BigEndian16(t.DestinationPort));
        var tuple = new List<byte>();
        Attribute(tuple, 1 | Nested, ip);
        Attribute(tuple, 2 | Nested, proto);
        return tuple;
    }

    private static List<byte> Counters(ulong packets, ulong bytes)
    {
        var c = new List<byte>();
        var p = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(p, packets);
        Attribute(c, 1, p);
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, bytes);
        Attribute(c, 2, b);
        return c;
    }

    private static byte[] Address(IpAddr ip) => ip.ToIPAddress().GetAddressBytes();

    private static byte[] BigEndian16(ushort v) => [(byte)(v >> 8), (byte)v];

    private static byte[] BigEndian32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return b;
    }

    private static void Attribute(List<byte> to, int type, IReadOnlyList<byte> value)
    {
        var length = 4 + value.Count;
        to.Add((byte)length);
        to.Add((byte)(length >> 8));
        to.Add((byte)type);
        to.Add((byte)(type >> 8));
        to.AddRange(value);
        while (to.Count % 4 != 0)
            to.Add(0);
    }
}
