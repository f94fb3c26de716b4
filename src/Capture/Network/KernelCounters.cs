using System.Buffers.Text;
using System.Text;

namespace RoutingFlow.Capture.Network;

/// <summary>
/// The kernel's protocol counters RoutingFlow reports, from <c>/proc/net/snmp</c> and <c>/proc/net/netstat</c>: both
/// hold pairs of lines, the names (<c>Tcp: RtoAlgorithm … ActiveOpens …</c>) then the values (<c>Tcp: 1 … 8116 …</c>).
/// A counter's name is its group and field joined, as <c>nstat</c> names it (<c>TcpActiveOpens</c>,
/// <c>TcpExtListenOverflows</c>). Parsed in place, without allocating.
/// </summary>
public static class KernelCounters
{
    /// <summary>The counters, in the order of their index; <c>TcpCurrEstab</c> is a gauge, the rest only grow.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "IpInReceives", "IpInDiscards", "IpForwDatagrams", "IpOutRequests", "IpOutNoRoutes",
        "IcmpInDestUnreachs", "IcmpInTimeExcds", "IcmpOutDestUnreachs",
        "TcpActiveOpens", "TcpPassiveOpens", "TcpAttemptFails", "TcpEstabResets", "TcpCurrEstab", "TcpInSegs", "TcpOutSegs",
        "TcpRetransSegs", "TcpInErrs", "TcpOutRsts",
        "UdpInDatagrams", "UdpNoPorts", "UdpInErrors", "UdpOutDatagrams", "UdpRcvbufErrors", "UdpSndbufErrors",
        "TcpExtListenOverflows", "TcpExtListenDrops", "TcpExtTCPTimeouts", "TcpExtTCPSynRetrans", "TcpExtTCPAbortOnTimeout",
        "TcpExtTCPAbortOnData", "TcpExtTCPAbortOnClose",
    ];

    public const string CurrentlyEstablished = "TcpCurrEstab";

    private static readonly (byte[] Group, byte[] Field, int Index)[] Keys = [.. Names.Select(Split)];

    public static int Count => Names.Count;

    /// <summary>
    /// Fills <paramref name="values"/> (one per <see cref="Names"/>) with the counters the file holds and sets their
    /// <paramref name="found"/>; returns how many value lines did not match their names line (counted, skipped).
    /// </summary>
    public static int Parse(ReadOnlySpan<byte> file, Span<long> values, Span<bool> found)
    {
        var malformed = 0;
        while (!file.IsEmpty)
        {
            var names = NextLine(ref file);
            var numbers = NextLine(ref file);
            var colon = names.IndexOf((byte)':');
            if (colon <= 0 || numbers.Length <= colon || !numbers[..(colon + 1)].SequenceEqual(names[..(colon + 1)]))
            {
                if (!names.Trim((byte)' ').IsEmpty)
                    malformed++;
                continue;
            }
            if (!Pair(names[..colon], names[(colon + 1)..], numbers[(colon + 1)..], values, found))
                malformed++;
        }
        return malformed;
    }

    /// <summary>Walks the names and values of one group side by side; false when their counts differ or a value is not a number.</summary>
    private static bool Pair(ReadOnlySpan<byte> group, ReadOnlySpan<byte> names, ReadOnlySpan<byte> numbers, Span<long> values, Span<bool> found)
    {
        while (true)
        {
            var name = NextToken(ref names);
            var number = NextToken(ref numbers);
            if (name.IsEmpty || number.IsEmpty)
                return name.IsEmpty && number.IsEmpty;
            foreach (var key in Keys)
            {
                if (!group.SequenceEqual(key.Group) || !name.SequenceEqual(key.Field))
                    continue;
                if (!Utf8Parser.TryParse(number, out long value, out var used) || used != number.Length)
                    return false;
                values[key.Index] = value;
                found[key.Index] = true;
            }
        }
    }

    private static ReadOnlySpan<byte> NextLine(ref ReadOnlySpan<byte> text)
    {
        var end = text.IndexOf((byte)'\n');
        var line = end < 0 ? text : text[..end];
        text = end < 0 ? default : text[(end + 1)..];
        return line;
    }

    private static ReadOnlySpan<byte> NextToken(ref ReadOnlySpan<byte> text)
    {
        text = text.TrimStart((byte)' ');
        var end = text.IndexOf((byte)' ');
        var token = end < 0 ? text : text[..end];
        text = end < 0 ? default : text[end..];
        return token;
    }

    private static (byte[] Group, byte[] Field, int Index) Split(string name, int index)
    {
        var group = name.StartsWith("TcpExt", StringComparison.Ordinal) ? "TcpExt"
            : name.StartsWith("Icmp", StringComparison.Ordinal) ? "Icmp"
            : name.StartsWith("Tcp", StringComparison.Ordinal) ? "Tcp"
            : name.StartsWith("Udp", StringComparison.Ordinal) ? "Udp" : "Ip";
        return (Encoding.ASCII.GetBytes(group), Encoding.ASCII.GetBytes(name[group.Length..]), index);
    }
}
