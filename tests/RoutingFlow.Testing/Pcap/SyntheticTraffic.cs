using System.Net;
using RoutingFlow.Testing.Frames;

namespace RoutingFlow.Testing.Pcap;

/// <summary>
/// Deterministic synthetic captures: local hosts (10.1.x.y, fd00::x) talking TCP and UDP to remote ones, with
/// IPv4 options and fragments, IPv6 extension headers, VLAN/QinQ/PPPoE framing mixed in. Same seed, same bytes.
/// </summary>
public static class SyntheticTraffic
{
    public const int Ethernet = 1;
    public const int Raw = 101;
    public const int LinuxSll = 113;
    public const int LinuxSll2 = 276;

    /// <summary>
    /// Writes <paramref name="packets"/> frames over <paramref name="flows"/> host pairs. Flows are picked uniformly,
    /// or with <paramref name="heavyTailed"/> log-uniformly (Zipf-like: P(flow ≤ k) = ln k / ln N), as real traffic
    /// concentrates on a few large flows.
    /// </summary>
    public static void WritePcap(string path, int linkType, int packets, int flows, int seed = 1, int snapLength = 262_144,
        bool heavyTailed = false)
    {
        using var writer = new PcapWriter(path, linkType, snapLength);
        var random = new Random(seed);
        var sequence = new uint[flows];
        for (var i = 0; i < packets; i++)
        {
            var flow = heavyTailed ? Math.Min(flows - 1, (int)Math.Exp(random.NextDouble() * Math.Log(flows))) : random.Next(flows);
            var reply = random.Next(3) == 0; // the receiver's ACK, as a real stream has
            var payload = reply ? 0 : PayloadOf(flow, random);
            var ip = Packet(flow, random, sequence[flow] + 1, payload, reply);
            sequence[flow] += (uint)payload;
            writer.Write(Frame(linkType, ip, flow), gapMicros: 1 + random.Next(20));
        }
    }

    /// <summary>
    /// A raw IP packet for flow <paramref name="flow"/>: its addresses and shape follow from the number, its payload
    /// size from the RNG; TCP carries sequence number <paramref name="seq"/> (each flow's stream advances like a real one).
    /// </summary>
    public static byte[] Packet(int flow, Random random, uint seq = 1, int? payloadLength = null, bool reply = false)
    {
        var outbound = (flow % 3 != 0) != reply;
        var v6 = flow % 5 == 0;
        var local = v6 ? $"fd00::{flow / 5 % 4000 + 1:x}" : $"10.1.{flow / 256 % 256}.{flow % 256}";
        var remote = v6 ? $"2001:db8::{flow % 997 + 1:x}" : new IPAddress(BitConverter.GetBytes(0x0100_0064u + (uint)(flow % 50_021 << 8))).ToString();
        var (src, dst) = outbound ? (local, remote) : (remote, local);
        var payload = payloadLength ?? PayloadOf(flow, random);
        return (flow % 11, v6) switch
        {
            (1, false) => RawIp.Ipv4(src, dst, 17, RawIp.Udp(1000, 53, payload), optionWords: 2),
            (2, false) => RawIp.Ipv4(src, dst, 17, new byte[payload + 8], fragmentOffset8: 185),
            (3, _) => v6 ? RawIp.Ipv6(src, dst, 6, RawIp.Tcp(443, 50000, seq, payload: payload), Extension.HopByHop(), Extension.DestinationOptions(1))
                         : RawIp.Ipv4(src, dst, 1, [8, 0, 0, 0, 0, 1, 0, 1]),
            (4, true) => RawIp.Ipv6(src, dst, 17, RawIp.Udp(5000, 6000, payload), Extension.Fragment(0, more: true)),
            (5, _) => v6 ? RawIp.Ipv6(src, dst, 17, RawIp.Udp(7, 9, payload)) : RawIp.Ipv4(src, dst, 17, RawIp.Udp(7, 9, payload)),
            _ => v6 ? RawIp.Ipv6(src, dst, 6, Segment(flow, seq, payload, reply))
                    : RawIp.Ipv4(src, dst, 6, Segment(flow, seq, payload, reply)),
        };
    }

    // Data from the client port to 443, or (reply) the server's ACK of everything up to seq.
    private static byte[] Segment(int flow, uint seq, int payload, bool reply) => reply
        ? RawIp.Tcp(443, (ushort)(20000 + flow % 40000), 1, seq, payload: 0)
        : RawIp.Tcp((ushort)(20000 + flow % 40000), 443, seq, payload: payload);

    // Payload sizes depend on the flow and a per-flow draw so that a flow's packets look alike, like a real stream.
    private static int PayloadOf(int flow, Random random) =>
        (flow * 7919 + random.Next(8)) % 8 == 0 ? 1400 : 40 + ((flow * 31) % 160);

    public static byte[] Frame(int linkType, byte[] ip, int flow) => linkType switch
    {
        Ethernet => (flow % 7) switch
        {
            1 => FrameBuilder.Ethernet(ip, (0x8100, (ushort)(flow % 4000 + 1))),
            2 => FrameBuilder.Ethernet(ip, (0x88A8, 10), (0x8100, 20)),
            3 => FrameBuilder.Pppoe(ip),
            _ => FrameBuilder.Ethernet(ip),
        },
        LinuxSll => FrameBuilder.Sll(ip, (ushort)(flow % 2 == 0 ? 0 : 4)),
        LinuxSll2 => FrameBuilder.Sll2(ip, flow % 4 + 1, (byte)(flow % 2 == 0 ? 0 : 4)),
        _ => ip,
    };
}
