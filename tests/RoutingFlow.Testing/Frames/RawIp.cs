using System.Buffers.Binary;
using System.Net;

namespace RoutingFlow.Testing.Frames;

/// <summary>Hand-built IP and transport headers for the cases PacketDotNet does not build: IPv4 options and fragments,
/// IPv6 extension headers, and deliberately inconsistent fields.</summary>
public static class RawIp
{
    public static byte[] Ipv4(string src, string dst, byte protocol, byte[] payload, int optionWords = 0,
        int fragmentOffset8 = 0, bool moreFragments = false, int? totalLength = null, int? ihl = null)
    {
        var headerLength = 20 + (optionWords * 4);
        var packet = new byte[headerLength + payload.Length];
        packet[0] = (byte)(0x40 | (ihl ?? (headerLength / 4)));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)(totalLength ?? packet.Length));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), 0x4242);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), (ushort)((moreFragments ? 0x2000 : 0) | fragmentOffset8));
        packet[8] = 64;
        packet[9] = protocol;
        IPAddress.Parse(src).GetAddressBytes().CopyTo(packet, 12);
        IPAddress.Parse(dst).GetAddressBytes().CopyTo(packet, 16);
        for (var i = 20; i < headerLength; i++)
            packet[i] = 1; // NOP options
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Checksum(packet.AsSpan(0, headerLength)));
        payload.CopyTo(packet, headerLength);
        return packet;
    }

    /// <summary>IPv6 with the given extension headers (each: its protocol number and body length in bytes).</summary>
    public static byte[] Ipv6(string src, string dst, byte protocol, byte[] payload, params Extension[] extensions)
    {
        var body = new List<byte>();
        for (var i = 0; i < extensions.Length; i++)
        {
            var next = i + 1 < extensions.Length ? extensions[i + 1].Protocol : protocol;
            body.AddRange(extensions[i].Build(next));
        }
        body.AddRange(payload);
        var packet = new byte[40 + body.Count];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)body.Count);
        packet[6] = extensions.Length > 0 ? extensions[0].Protocol : protocol;
        packet[7] = 64;
        IPAddress.Parse(src).GetAddressBytes().CopyTo(packet, 8);
        IPAddress.Parse(dst).GetAddressBytes().CopyTo(packet, 24);
        body.CopyTo(packet, 40);
        return packet;
    }

    /// <summary>A TCP header (checksum left zero) followed by <paramref name="payload"/> zero bytes.</summary>
    public static byte[] Tcp(ushort sport, ushort dport, uint seq = 1, uint ack = 1, byte flags = 0x10,
        int payload = 0, int dataOffsetWords = 5, ushort window = 1000, byte[]? options = null)
    {
        if (options is not null)
            dataOffsetWords = 5 + ((options.Length + 3) / 4);
        var segment = new byte[Math.Max(20, dataOffsetWords * 4) + payload];
        BinaryPrimitives.WriteUInt16BigEndian(segment, sport);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(4), seq);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(8), ack);
        segment[12] = (byte)(dataOffsetWords << 4);
        segment[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(14), window);
        for (var i = 20; i < dataOffsetWords * 4; i++)
            segment[i] = options is null ? (byte)1 : (byte)0; // NOPs, or the options then end-of-list padding
        options?.CopyTo(segment, 20);
        return segment;
    }

    public static byte[] Udp(ushort sport, ushort dport, int payload = 0)
    {
        var datagram = new byte[8 + payload];
        BinaryPrimitives.WriteUInt16BigEndian(datagram, sport);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), (ushort)datagram.Length);
        return datagram;
    }

    private static ushort Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < header.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        while (sum > 0xFFFF)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}

/// <summary>An IPv6 extension header: generic ones are (len+1)*8 bytes of PadN; Fragment is always 8.</summary>
public sealed record Extension(byte Protocol, int Units = 0, int FragmentOffset8 = 0, bool More = false)
{
    public static Extension HopByHop(int units = 0) => new(0, units);

    public static Extension Routing(int units = 0) => new(43, units);

    public static Extension DestinationOptions(int units = 0) => new(60, units);

    public static Extension Fragment(int offset8 = 0, bool more = true) => new(44, 0, offset8, more);

    public byte[] Build(byte next)
    {
        if (Protocol == 44)
        {
            var fragment = new byte[8];
            fragment[0] = next;
            BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(2), (ushort)((FragmentOffset8 << 3) | (More ? 1 : 0)));
            BinaryPrimitives.WriteUInt32BigEndian(fragment.AsSpan(4), 0xABCD);
            return fragment;
        }
        var header = new byte[(Units + 1) * 8];
        header[0] = next;
        header[1] = (byte)Units;
        if (Protocol == 43)
        {
            header[2] = 4; // segment routing type with zero segments left: nothing to parse
            return header;
        }
        header[2] = 1; // PadN covering the rest
        header[3] = (byte)(header.Length - 4);
        return header;
    }
}
