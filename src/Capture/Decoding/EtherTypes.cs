namespace RoutingFlow.Capture.Decoding;

/// <summary>EtherType and PPP protocol numbers used by the link readers.</summary>
public static class EtherTypes
{
    public const ushort Ipv4 = 0x0800;
    public const ushort Ipv6 = 0x86DD;
    public const ushort Vlan = 0x8100;
    public const ushort QinQ = 0x88A8;
    public const ushort QinQLegacy = 0x9100;
    public const ushort PppoeSession = 0x8864;
    public const ushort PppIpv4 = 0x0021;
    public const ushort PppIpv6 = 0x0057;

    /// <summary>Values below this are 802.3 length fields, not EtherTypes.</summary>
    public const ushort MinEtherType = 0x0600;

    public static bool IsVlanTag(ushort type) => type is Vlan or QinQ or QinQLegacy;
}
