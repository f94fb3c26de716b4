using System.Runtime.CompilerServices;

namespace RoutingFlow.Capture.Addressing;

/// <summary>
/// Whether an address is globally reachable unicast, after IANA's special-purpose registries (RFC 6890 and
/// successors): not private, shared (CGNAT), loopback, link-local, documentation, benchmarking, multicast or
/// reserved; for IPv6, inside 2000::/3 but not documentation (2001:db8::/32) or IETF protocol assignments (2001::/23).
/// Asked twice per TCP packet, so IPv4 is decided by its first octet and, for the few octets that hold a special
/// range, one or two more comparisons.
/// </summary>
public static class GlobalAddress
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsGlobalUnicast(in IpAddr address) => address.IsV6 ? IsGlobalV6(address.Hi) : IsGlobalV4((uint)address.Lo);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsGlobalV4(uint v4) => (v4 >> 24) switch
    {
        0 or 10 or 127 or >= 224 => false, // this network, private, loopback, multicast and reserved
        100 => (v4 & 0xFFC00000) != 0x64400000, // 100.64/10 shared (CGNAT)
        169 => (v4 & 0xFFFF0000) != 0xA9FE0000, // 169.254/16 link-local
        172 => (v4 & 0xFFF00000) != 0xAC100000, // 172.16/12 private
        192 => IsGlobal192(v4),
        198 => (v4 & 0xFFFE0000) != 0xC6120000 && (v4 & 0xFFFFFF00) != 0xC6336400, // 198.18/15 benchmarking, 198.51.100/24 documentation
        203 => (v4 & 0xFFFFFF00) != 0xCB007100, // 203.0.113/24 documentation
        _ => true,
    };

    // 192.0.0/24 IETF assignments, 192.0.2/24 documentation, 192.88.99/24 6to4 relay, 192.168/16 private.
    private static bool IsGlobal192(uint v4) => (v4 & 0xFFFF0000) != 0xC0A80000
        && (v4 & 0xFFFFFF00) is not (0xC0000000 or 0xC0000200 or 0xC0586300);

    private static bool IsGlobalV6(ulong hi) =>
        hi >> 61 == 1 // 2000::/3
        && hi >> 32 != 0x20010DB8 // 2001:db8::/32 documentation
        && hi >> 41 != 0x20010000UL >> 9; // 2001::/23 IETF protocol assignments
}
