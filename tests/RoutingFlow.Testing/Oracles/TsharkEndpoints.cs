using System.Globalization;
using RoutingFlow.Testing.Processes;

namespace RoutingFlow.Testing.Oracles;

/// <summary>One row of tshark's endpoint statistics.</summary>
public sealed record EndpointStats(long TxPackets, long TxBytes, long RxPackets, long RxBytes);

/// <summary>
/// Runs <c>tshark -q -z endpoints,ip -z endpoints,ipv6</c> and parses both tables, keyed by address. Defragmentation
/// is off so that every fragment counts as the wire carried it: with it on, tshark leaves IPv6 fragments that never
/// reassemble out of its endpoint table.
/// </summary>
public static class TsharkEndpoints
{
    public static async Task<Dictionary<string, EndpointStats>> ReadAsync(string pcap)
    {
        var result = await ProcessRunner.RunAsync("tshark", ["-n", "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE", "-r", pcap, "-q", "-z", "endpoints,ip", "-z", "endpoints,ipv6"], TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"tshark failed ({result.ExitCode}): {result.StandardError}");
        return Parse(result.StandardOutput);
    }

    // 10.0.0.1    12    3456    6    1728    6    1728
    public static Dictionary<string, EndpointStats> Parse(string output)
    {
        var rows = new Dictionary<string, EndpointStats>();
        foreach (var line in output.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 7 || !System.Net.IPAddress.TryParse(fields[0], out var ip) || !fields[1..7].All(IsNumber))
                continue;
            var n = fields[1..7].Select(f => long.Parse(f, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)).ToArray();
            rows[ip.ToString()] = new EndpointStats(n[2], n[3], n[4], n[5]);
        }
        return rows;
    }

    private static bool IsNumber(string field) => long.TryParse(field, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _);
}
