using System.Globalization;
using RoutingFlow.Testing.Processes;

namespace RoutingFlow.Testing.Oracles;

/// <summary>One device connection counter as tshark counts it: ports, direction (<c>ingress</c>/<c>egress</c>) and protocol (<c>TCP</c>/<c>UDP</c>).</summary>
public readonly record struct PortTuple(int SrcPort, int DstPort, string Direction, string Protocol);

/// <summary>Frames and their bytes (<c>frame.len</c>: as the wire carried them).</summary>
public sealed record TupleCounts(long Packets, long Bytes);

/// <summary>
/// The device connection counters' oracle: per (ports, direction, protocol), the frames of a recording and their
/// lengths, read with <c>tshark -T fields</c>; the caller says a frame's direction from its source MAC.
/// </summary>
public static class TsharkPortTuples
{
    public static async Task<Dictionary<PortTuple, TupleCounts>> ReadAsync(string pcap, Func<string, bool> egress)
    {
        var result = await ProcessRunner.RunAsync("tshark", ["-n", "-r", pcap, "-T", "fields", "-E", "separator=|", "-e", "eth.src", "-e", "ip.proto",
            "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "frame.len"], TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"tshark failed ({result.ExitCode}): {result.StandardError}");
        var tuples = new Dictionary<PortTuple, TupleCounts>();
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split('|');
            var tcp = f[2].Length > 0;
            var key = new PortTuple(int.Parse(tcp ? f[2] : f[4], CultureInfo.InvariantCulture), int.Parse(tcp ? f[3] : f[5], CultureInfo.InvariantCulture),
                egress(f[0]) ? "egress" : "ingress", tcp ? "TCP" : "UDP");
            var before = tuples.GetValueOrDefault(key) ?? new TupleCounts(0, 0);
            tuples[key] = new TupleCounts(before.Packets + 1, before.Bytes + long.Parse(f[6], CultureInfo.InvariantCulture));
        }
        return tuples;
    }
}
