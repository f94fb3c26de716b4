using System.Globalization;

namespace RoutingFlow.Testing.Oracles;

/// <summary>
/// One direction of a connection as <c>conntrack -L</c> prints it, with its counters when accounting is on
/// (<c>net.netfilter.nf_conntrack_acct=1</c>, a per-namespace setting; off by default). The ports are null for
/// protocols without them (icmp and icmpv6 print <c>type= code= id=</c> instead).
/// </summary>
public sealed record ConntrackListTuple(string Src, string Dst, int? SrcPort, int? DstPort, long? Packets, long? Bytes);

/// <summary>
/// One connection of <c>conntrack -L</c>. <see cref="Original"/> is the tuple of the first packet (a LAN connection:
/// the host to the server), <see cref="Reply"/> the one its answers carry: behind NAT the reply's
/// <see cref="ConntrackListTuple.Dst"/> is the WAN address the connection was masqueraded to (198.51.100.2 or
/// 203.0.113.2 in the lab). <see cref="State"/> is null where conntrack prints none (udp, icmp);
/// <see cref="TimeoutSeconds"/> is null where it prints none (<c>[DESTROY]</c> events).
/// </summary>
public sealed record ConntrackListEntry(string Protocol, int ProtocolNumber, long? TimeoutSeconds, string? State,
    ConntrackListTuple Original, ConntrackListTuple Reply, uint Mark, bool Assured, bool Unreplied);

/// <summary>
/// Parses the text of <c>conntrack -L</c> (the caller runs it in the router's namespace). Lines read
/// <code>
/// tcp      6 431999 ESTABLISHED src=192.168.50.10 dst=192.0.2.100 sport=37386 dport=5201 src=192.0.2.100 dst=198.51.100.2 sport=5201 dport=37386 [ASSURED] mark=256 use=1
/// udp      17 27 src=192.168.50.11 dst=192.0.2.100 sport=38102 dport=5202 packets=1 bytes=32 [UNREPLIED] src=192.0.2.100 dst=198.51.100.2 sport=5202 dport=38102 packets=0 bytes=0 mark=256 use=1
/// icmpv6   58 29 src=fd50::10 dst=2001:db8:100::100 type=128 code=0 id=4660 src=2001:db8:100::100 dst=fd50::10 type=129 code=0 id=4660 mark=256 use=1
/// </code>
/// (conntrack 1.4.7): protocol name and number, seconds left, the TCP state, then the original tuple and the reply
/// tuple, each followed by <c>packets= bytes=</c> when accounting is on; flags in brackets; <c>mark=</c> in decimal.
/// <c>-o extended</c> puts the family first (<c>ipv4     2 tcp      6 ...</c>, <c>ipv6     10 ...</c>) and
/// <c>-o id</c> appends <c>id=</c>; both read the same, as do the lines of <c>conntrack -E</c> (<c>[NEW] tcp ...</c>,
/// with <c>-o timestamp</c> <c>[1796286467.962906]\t[NEW] ...</c>). Anything else is skipped, such as the summary
/// conntrack writes to stderr (<c>conntrack v1.4.7 (conntrack-tools): 7 flow entries have been shown.</c>).
/// </summary>
public static class ConntrackOracle
{
    private static readonly char[] Separators = [' ', '\t', '\r'];

    public static IReadOnlyList<ConntrackListEntry> Parse(string text)
    {
        var entries = new List<ConntrackListEntry>();
        foreach (var line in text.Split('\n'))
        {
            if (ParseLine(line) is { } entry)
                entries.Add(entry);
        }
        return entries;
    }

    /// <summary>One line: null when it is no connection; a connection line with a malformed number throws.</summary>
    public static ConntrackListEntry? ParseLine(string line)
    {
        var tokens = line.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        var i = 0;
        while (i < tokens.Length && tokens[i].StartsWith('[')) // conntrack -E: [timestamp] [NEW|UPDATE|DESTROY]
            i++;
        if (tokens.Length - i >= 2 && tokens[i] is ("ipv4" or "ipv6") && IsNumber(tokens[i + 1])) // -o extended
            i += 2;
        if (tokens.Length - i < 2 || tokens[i].Contains('=') || !IsNumber(tokens[i + 1]))
            return null;
        var protocol = tokens[i];
        var protocolNumber = int.Parse(tokens[i + 1], NumberStyles.None, CultureInfo.InvariantCulture);
        i += 2;
        long? timeout = null;
        if (i < tokens.Length && IsNumber(tokens[i]))
            timeout = long.Parse(tokens[i++], NumberStyles.None, CultureInfo.InvariantCulture);
        string? state = null;
        if (i < tokens.Length && !tokens[i].Contains('=') && !tokens[i].StartsWith('['))
            state = tokens[i++];

        var tuples = new List<TupleBuilder>(2);
        uint mark = 0;
        bool assured = false, unreplied = false;
        for (; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token.StartsWith('['))
            {
                assured |= token == "[ASSURED]";
                unreplied |= token == "[UNREPLIED]";
                continue;
            }
            var equals = token.IndexOf('=');
            if (equals <= 0)
                return null;
            var key = token[..equals];
            var value = token[(equals + 1)..];
            if (key == "src")
            {
                if (tuples.Count == 2)
                    return null; // not a connection as -L lists it (three tuples)
                tuples.Add(new TupleBuilder { Src = value });
                continue;
            }
            if (key == "mark")
            {
                mark = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                    ? uint.Parse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
                    : uint.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
                continue;
            }
            if (tuples.Count == 0)
                continue; // before the first tuple: nothing conntrack prints there today
            var tuple = tuples[^1];
            switch (key)
            {
                case "dst": tuple.Dst = value; break;
                case "sport": tuple.SrcPort = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture); break;
                case "dport": tuple.DstPort = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture); break;
                case "packets": tuple.Packets = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture); break;
                case "bytes": tuple.Bytes = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture); break;
                default: break; // use=, id=, zone=, type=, code=, ...
            }
        }
        if (tuples.Count != 2 || tuples.Exists(t => t.Dst is null))
            return null;
        return new ConntrackListEntry(protocol, protocolNumber, timeout, state, tuples[0].Build(), tuples[1].Build(), mark, assured, unreplied);
    }

    private static bool IsNumber(string token) => token.Length > 0 && token.All(char.IsAsciiDigit);

    private sealed class TupleBuilder
    {
        public string Src = "";
        public string? Dst;
        public int? SrcPort;
        public int? DstPort;
        public long? Packets;
        public long? Bytes;

        public ConntrackListTuple Build() => new(Src, Dst!, SrcPort, DstPort, Packets, Bytes);
    }
}
