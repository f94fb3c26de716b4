using System.Globalization;

namespace RoutingFlow.Capture.Sources;

/// <summary>Finds the interface of the default route from <c>/proc/net/route</c> (IPv4) or <c>/proc/net/ipv6_route</c>.</summary>
public static class DefaultRoute
{
    public static string? FindInterface(string procNet = "/proc/net")
    {
        return FromIpv4(Path.Combine(procNet, "route")) ?? FromIpv6(Path.Combine(procNet, "ipv6_route"));
    }

    // Iface  Destination  Gateway  Flags  RefCnt  Use  Metric  Mask  MTU  Window  IRTT   (hex, host order)
    internal static string? FromIpv4(string path) =>
        ReadLines(path).Skip(1)
            .Select(line => line.Split('\t', ' ').Where(f => f.Length > 0).ToArray())
            .Where(f => f.Length >= 8 && f[1] == "00000000" && f[7] == "00000000")
            .OrderBy(f => int.Parse(f[6], CultureInfo.InvariantCulture))
            .Select(f => f[0]).FirstOrDefault();

    // dest(32 hex) dest_len src(32) src_len next_hop(32) metric refcnt use flags iface
    internal static string? FromIpv6(string path) =>
        ReadLines(path)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 10 && f[1] == "00" && f[0].All(c => c == '0') && f[9] != "lo")
            .OrderBy(f => Convert.ToInt64(f[5], 16))
            .Select(f => f[9]).FirstOrDefault();

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];
}
