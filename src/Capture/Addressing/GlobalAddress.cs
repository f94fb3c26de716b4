namespace RoutingFlow.Capture.Addressing;

/// <summary>
/// Whether an address is globally reachable unicast, after IANA's special-purpose registries (RFC 6890 and
/// successors): not private, shared (CGNAT), loopback, link-local, documentation, benchmarking, multicast or
/// reserved; for IPv6, inside 2000::/3 but not documentation (2001:db8::/32) or IETF protocol assignments (2001::/23).
/// </summary>
public static class GlobalAddress
{
    // (network, prefix length) pairs, IPv4 as 32-bit numbers.
    private static readonly (uint Network, int Length)[] NotGlobalV4 =
    [
        (0x00000000, 8), (0x0A000000, 8), (0x64400000, 10), (0x7F000000, 8), (0xA9FE0000, 16), (0xAC100000, 12),
        (0xC0000000, 24), (0xC0000200, 24), (0xC0586300, 24), (0xC0A80000, 16), (0xC6120000, 15), (0xC6336400, 24),
        (0xCB007100, 24), (0xE0000000, 4), (0xF0000000, 4),
    ];

    public static bool IsGlobalUnicast(in IpAddr address)
    {
        if (!address.IsV6)
        {
            var v4 = (uint)address.Lo;
            foreach (var (network, length) in NotGlobalV4)
            {
                if ((v4 & (uint.MaxValue << (32 - length))) == network)
                    return false;
            }
            return true;
        }
        var hi = address.Hi;
        if (hi >> 61 != 1) // 2000::/3
            return false;
        if (hi >> 32 == 0x20010DB8) // 2001:db8::/32
            return false;
        return hi >> 41 != 0x20010000UL >> 9; // 2001::/23
    }
}
