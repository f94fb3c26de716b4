using RoutingFlow.Capture.Decoding;

namespace RoutingFlow.Capture.Protocols;

/// <summary>
/// Classification by transport and port (either end; the destination's first), a small documented table:
/// TCP 22 ssh, 25/465/587 smtp, 53 dns, 80/8080 http, 110/995 pop3, 143/993 imap, 443/8443 tls, 853 tls (DNS over TLS);
/// UDP 53 dns, 67/68 dhcp, 123 ntp, 443 quic, 546/547 dhcpv6, 5353 mdns; ICMP and ICMPv6; the rest other-tcp,
/// other-udp, other.
/// </summary>
public static class ProtocolClasses
{
    public static readonly string[] Names = ["dns", "http", "tls", "quic", "ssh", "ntp", "smtp", "imap", "pop3", "dhcp", "dhcpv6", "mdns", "icmp", "other-tcp", "other-udp", "other"];

    public const int Dns = 0, Icmp = 12, OtherTcp = 13, OtherUdp = 14, Other = 15;

    public static int Of(in DecodedPacket packet)
    {
        if (!packet.HasTransport)
            return Other;
        var t = packet.Transport;
        return packet.Ip.Protocol switch
        {
            IpProtocol.Tcp => Tcp(t.DestinationPort) is var d and not OtherTcp ? d : Tcp(t.SourcePort),
            IpProtocol.Udp => Udp(t.DestinationPort) is var d and not OtherUdp ? d : Udp(t.SourcePort),
            IpProtocol.Icmp or IpProtocol.Icmpv6 => Icmp,
            _ => Other,
        };
    }

    private static int Tcp(ushort port) => port switch
    {
        53 => Dns, 80 or 8080 => 1, 443 or 8443 or 853 => 2, 22 => 4, 25 or 465 or 587 => 6, 143 or 993 => 7, 110 or 995 => 8, _ => OtherTcp,
    };

    private static int Udp(ushort port) => port switch
    {
        53 => Dns, 443 => 3, 123 => 5, 67 or 68 => 9, 546 or 547 => 10, 5353 => 11, _ => OtherUdp,
    };
}
