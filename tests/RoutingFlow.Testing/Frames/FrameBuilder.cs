using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using PacketDotNet;

namespace RoutingFlow.Testing.Frames;

/// <summary>Builds frames for tests with PacketDotNet, plus the link headers it does not build (QinQ, SLL, SLL2, PPPoE).</summary>
public static class FrameBuilder
{
    public static readonly PhysicalAddress MacA = PhysicalAddress.Parse("02-00-00-00-00-01");
    public static readonly PhysicalAddress MacB = PhysicalAddress.Parse("02-00-00-00-00-02");

    public static byte[] Tcp(string src, string dst, ushort sport = 40000, ushort dport = 80, int payload = 0,
        uint seq = 1, uint ack = 0, bool syn = false) =>
        Ip(src, dst, new TcpPacket(sport, dport)
        {
            SequenceNumber = seq,
            AcknowledgmentNumber = ack,
            Synchronize = syn,
            Acknowledgment = !syn,
            WindowSize = 64240,
            PayloadData = new byte[payload],
        });

    public static byte[] Udp(string src, string dst, ushort sport = 5353, ushort dport = 53, int payload = 10) =>
        Ip(src, dst, new UdpPacket(sport, dport) { PayloadData = new byte[payload] });

    /// <summary>An IP packet (v4 or v6 by the addresses) carrying <paramref name="transport"/>, without a link header.</summary>
    public static byte[] Ip(string src, string dst, Packet transport)
    {
        IPPacket ip = IPAddress.Parse(src).AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? new IPv6Packet(IPAddress.Parse(src), IPAddress.Parse(dst))
            : new IPv4Packet(IPAddress.Parse(src), IPAddress.Parse(dst));
        ip.PayloadPacket = transport;
        ip.UpdateCalculatedValues();
        if (transport is TransportPacket t)
            t.UpdateCalculatedValues();
        if (ip is IPv4Packet v4)
            v4.UpdateIPChecksum();
        if (transport is TcpPacket tcp)
            tcp.UpdateTcpChecksum();
        if (transport is UdpPacket udp)
            udp.UpdateUdpChecksum();
        return ip.Bytes;
    }

    public static ushort EtherTypeOf(byte[] ip) => (ip[0] >> 4) == 6 ? (ushort)0x86DD : (ushort)0x0800;

    /// <summary>Ethernet II around an IP packet, with optional VLAN tags (outermost first: 0x88A8 then 0x8100 for QinQ).</summary>
    public static byte[] Ethernet(byte[] ip, params (ushort Tpid, ushort Vid)[] tags) =>
        Ethernet(ip, EtherTypeOf(ip), tags);

    public static byte[] Ethernet(byte[] payload, ushort etherType, params (ushort Tpid, ushort Vid)[] tags)
    {
        var frame = new byte[14 + (4 * tags.Length) + payload.Length];
        MacB.GetAddressBytes().CopyTo(frame, 0);
        MacA.GetAddressBytes().CopyTo(frame, 6);
        var offset = 12;
        foreach (var (tpid, vid) in tags)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset), tpid);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset + 2), vid);
            offset += 4;
        }
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset), etherType);
        payload.CopyTo(frame, offset + 2);
        return frame;
    }

    /// <summary>PPPoE session frame (EtherType 0x8864) carrying an IP packet.</summary>
    public static byte[] Pppoe(byte[] ip)
    {
        var pppoe = new byte[8 + ip.Length];
        pppoe[0] = 0x11;
        BinaryPrimitives.WriteUInt16BigEndian(pppoe.AsSpan(2), 0x1234);
        BinaryPrimitives.WriteUInt16BigEndian(pppoe.AsSpan(4), (ushort)(ip.Length + 2));
        BinaryPrimitives.WriteUInt16BigEndian(pppoe.AsSpan(6), (ip[0] >> 4) == 6 ? (ushort)0x0057 : (ushort)0x0021);
        ip.CopyTo(pppoe, 8);
        return Ethernet(pppoe, 0x8864);
    }

    /// <summary>Linux cooked v1 (16-byte) header; packet type 0 = to us, 4 = outgoing.</summary>
    public static byte[] Sll(byte[] ip, ushort packetType = 0)
    {
        var frame = new byte[16 + ip.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, packetType);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), 6);
        MacA.GetAddressBytes().CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), EtherTypeOf(ip));
        ip.CopyTo(frame, 16);
        return frame;
    }

    /// <summary>Linux cooked v2 (20-byte) header with an interface index.</summary>
    public static byte[] Sll2(byte[] ip, int ifIndex = 2, byte packetType = 0)
    {
        var frame = new byte[20 + ip.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, EtherTypeOf(ip));
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), ifIndex);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(8), 1);
        frame[10] = packetType;
        frame[11] = 6;
        MacA.GetAddressBytes().CopyTo(frame, 12);
        ip.CopyTo(frame, 20);
        return frame;
    }
}
