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
        var templates = Enumerable.Range(0, Math.Min(flows, 4096)).Select(i => Packet(i, random)).ToArray();
        for (var i = 0; i < packets; i++)
        {
            var flow = heavyTailed ? Math.Min(flows - 1, (int)Math.Exp(random.NextDouble() * Math.Log(flows))) : random.Next(flows);
            var ip = flow < templates.Length ? templates[flow] : Packet(flow, random);
            writer.Write(Frame(linkType, ip, flow), gapMicros: 1 + random.Next(20));
        }
    }

    /// <summary>A raw IP packet for flow <paramref name="flow"/>: its addresses follow from the number, its shape from the RNG.</summary>
    public static byte[] Packet(int flow, Random random)
    {
        var outbound = flow % 3 != 0;
        var v6 = flow % 5 == 0;
        var local = v6 ? $"fd00::{flow / 5 % 4000 + 1:x}" : $"10.1.{flow / 256 % 256}.{flow % 256}";
        var remote = v6 ? $"2001:db8::{flow % 997 + 1:x}" : new IPAddress(BitConverter.GetBytes(0x0100_0064u + (uint)(flow % 50_021 << 8))).ToString();
        var (src, dst) = outbound ? (local, remote) : (remote, local);
        var payload = random.Next(4) == 0 ? 1400 : random.Next(0, 200);
        return (flow % 11, v6) switch
        {
            (1, false) => RawIp.Ipv4(src, dst, 17, RawIp.Udp(1000, 53, payload), optionWords: 2),
            (2, false) => RawIp.Ipv4(src, dst, 17, new byte[payload + 8], fragmentOffset8: 185),
            (3, _) => v6 ? RawIp.Ipv6(src, dst, 6, RawIp.Tcp(443, 50000, payload: payload), Extension.HopByHop(), Extension.DestinationOptions(1))
                         : RawIp.Ipv4(src, dst, 1, [8, 0, 0, 0, 0, 1, 0, 1]),
            (4, true) => RawIp.Ipv6(src, dst, 17, RawIp.Udp(5000, 6000, payload), Extension.Fragment(0, more: true)),
            (5, _) => v6 ? RawIp.Ipv6(src, dst, 17, RawIp.Udp(7, 9, payload)) : RawIp.Ipv4(src, dst, 17, RawIp.Udp(7, 9, payload)),
            _ => v6 ? RawIp.Ipv6(src, dst, 6, RawIp.Tcp((ushort)(20000 + flow % 40000), 443, payload: payload))
                    : RawIp.Ipv4(src, dst, 6, RawIp.Tcp((ushort)(20000 + flow % 40000), 443, payload: payload)),
        };
    }

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
