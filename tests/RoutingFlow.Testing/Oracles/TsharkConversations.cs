using System.Globalization;
using System.Net;
using RoutingFlow.Testing.Processes;

namespace RoutingFlow.Testing.Oracles;

/// <summary>
/// One TCP or UDP conversation of a capture, as tshark's conversation table (<c>-z conv,tcp</c>, <c>-z conv,udp</c>)
/// counts it, with exact byte counts. A is the source of the conversation's first frame, B its destination;
/// <see cref="Stream"/> is tshark's <c>tcp.stream</c> or <c>udp.stream</c> (a port pair used twice is two streams,
/// as it is two rows of tshark's table). Bytes are frame lengths on the wire (<c>frame.len</c>, whatever the snap
/// length), as tshark counts them.
/// </summary>
public sealed record ConversationStats(string Protocol, long Stream, string AddressA, int PortA, string AddressB, int PortB,
    long FramesAtoB, long BytesAtoB, long FramesBtoA, long BytesBtoA)
{
    public long Frames => FramesAtoB + FramesBtoA;

    public long Bytes => BytesAtoB + BytesBtoA;
}

/// <summary>
/// The TCP and UDP conversations of a capture. tshark's own table (4.0.17 here) prints its byte columns with units,
/// hence inexact:
/// <code>
///                                                            |       &lt;-      | |       -&gt;      | |     Total     |    Relative    |   Duration   |
///                                                            | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |
/// 192.168.50.10:41172        &lt;-&gt; 192.0.2.100:5201               259 17 kB         261 12 MB         520 12 MB         0.000445000         2.0256
/// 192.168.50.10:41168        &lt;-&gt; 192.0.2.100:5201                15 1472 bytes      14 1860 bytes      29 3332 bytes     0.000000000         2.0178
/// </code>
/// The left address is A, the right B; the "&lt;-" columns are B to A (frames and bytes B sent: 259 frames, 17 066
/// bytes of ACKs from the iperf3 server above), the "-&gt;" columns A to B (h1's upload, 12 770 671 bytes). So this
/// reads one line per frame (<c>-T fields</c>) and sums <c>frame.len</c> per <c>tcp.stream</c>/<c>udp.stream</c>
/// itself; on that capture its frame counts equal the table's and its bytes round to the table's figures. As the
/// table does, it leaves out ICMP errors quoting a segment or datagram, and a fragmented datagram counts with the
/// frame that completes it (tshark's default reassembly). Addresses are the innermost IP header's (IPv6 when a frame
/// has both, as in 6in4).
/// </summary>
public static class TsharkConversations
{
    private static readonly string[] Fields =
    [
        "frame.len", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
        "tcp.stream", "tcp.srcport", "tcp.dstport", "udp.stream", "udp.srcport", "udp.dstport",
    ];

    /// <param name="filter">Another display filter the frames must pass too (a time window: <c>frame.time_epoch &gt;= 1796286467</c>).</param>
    public static async Task<IReadOnlyList<ConversationStats>> ReadAsync(string pcap, string? filter = null)
    {
        var display = "(tcp || udp) && !icmp && !icmpv6" + (filter is null ? "" : $" && ({filter})");
        List<string> args = ["-n", "-r", pcap, "-Y", display, "-T", "fields", "-E", "separator=|", "-E", "occurrence=l"];
        foreach (var field in Fields)
            args.AddRange(["-e", field]);
        var result = await ProcessRunner.RunAsync("tshark", args, TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"tshark failed ({result.ExitCode}): {result.StandardError}");
        return Parse(result.StandardOutput);
    }

    /// <summary>
    /// One line per frame, the fields <see cref="ReadAsync"/> asks for in order: frame.len, ip.src, ip.dst, ipv6.src,
    /// ipv6.dst, tcp.stream, tcp.srcport, tcp.dstport, udp.stream, udp.srcport, udp.dstport
    /// (<c>62702|192.168.50.10|192.0.2.100|||1|41172|5201|||</c>);
    /// conversations in order of protocol (tcp, udp), then stream.
    /// </summary>
    public static IReadOnlyList<ConversationStats> Parse(string output)
    {
        var conversations = new Dictionary<(string Protocol, long Stream), Totals>();
        foreach (var line in output.Split('\n'))
        {
            var f = line.TrimEnd('\r').Split('|');
            if (f.Length < Fields.Length || f[0].Length == 0)
                continue;
            var length = long.Parse(f[0], NumberStyles.None, CultureInfo.InvariantCulture);
            var src = f[3].Length > 0 ? f[3] : f[1];
            var dst = f[4].Length > 0 ? f[4] : f[2];
            if (src.Length == 0 || dst.Length == 0)
                continue;
            src = IPAddress.Parse(src).ToString();
            dst = IPAddress.Parse(dst).ToString();
            Add(conversations, "tcp", f[5], src, f[6], dst, f[7], length);
            Add(conversations, "udp", f[8], src, f[9], dst, f[10], length);
        }
        return conversations
            .OrderBy(c => c.Key.Protocol, StringComparer.Ordinal).ThenBy(c => c.Key.Stream)
            .Select(c => c.Value.ToStats(c.Key.Protocol, c.Key.Stream))
            .ToList();
    }

    private static void Add(Dictionary<(string, long), Totals> conversations, string protocol, string stream,
        string src, string srcPort, string dst, string dstPort, long length)
    {
        if (stream.Length == 0 || srcPort.Length == 0 || dstPort.Length == 0)
            return;
        var key = (protocol, long.Parse(stream, NumberStyles.None, CultureInfo.InvariantCulture));
        var sport = int.Parse(srcPort, NumberStyles.None, CultureInfo.InvariantCulture);
        var dport = int.Parse(dstPort, NumberStyles.None, CultureInfo.InvariantCulture);
        if (!conversations.TryGetValue(key, out var totals))
            conversations[key] = totals = new Totals(src, sport, dst, dport);
        if (src == totals.AddressA && sport == totals.PortA && dst == totals.AddressB && dport == totals.PortB)
        {
            totals.FramesAtoB++;
            totals.BytesAtoB += length;
        }
        else
        {
            totals.FramesBtoA++;
            totals.BytesBtoA += length;
        }
    }

    private sealed class Totals(string addressA, int portA, string addressB, int portB)
    {
        public string AddressA { get; } = addressA;
        public int PortA { get; } = portA;
        public string AddressB { get; } = addressB;
        public int PortB { get; } = portB;
        public long FramesAtoB { get; set; }
        public long BytesAtoB { get; set; }
        public long FramesBtoA { get; set; }
        public long BytesBtoA { get; set; }

        public ConversationStats ToStats(string protocol, long stream) =>
            new(protocol, stream, AddressA, PortA, AddressB, PortB, FramesAtoB, BytesAtoB, FramesBtoA, BytesBtoA);
    }
}
