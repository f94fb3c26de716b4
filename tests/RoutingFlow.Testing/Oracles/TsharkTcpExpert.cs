using RoutingFlow.Testing.Processes;

namespace RoutingFlow.Testing.Oracles;

/// <summary>
/// Frames of a capture as tshark's TCP expert analysis flags them: <see cref="LostSegment"/>
/// (<c>tcp.analysis.lost_segment</c>), <see cref="Retransmitted"/> (any of retransmission, fast retransmission,
/// spurious retransmission or out-of-order, each frame once) and <see cref="ZeroWindow"/>.
/// </summary>
public sealed record TcpExpertCounts(long Frames, long LostSegment, long Retransmitted, long ZeroWindow, long KeepAlive);

public static class TsharkTcpExpert
{
    private static readonly string[] Fields =
    [
        "tcp.analysis.lost_segment", "tcp.analysis.retransmission", "tcp.analysis.fast_retransmission",
        "tcp.analysis.spurious_retransmission", "tcp.analysis.out_of_order", "tcp.analysis.zero_window", "tcp.analysis.keep_alive",
    ];

    public static async Task<TcpExpertCounts> ReadAsync(string pcap)
    {
        List<string> args = ["-n", "-r", pcap, "-Y", "tcp.analysis.flags", "-T", "fields", "-E", "separator=|"];
        foreach (var field in Fields)
            args.AddRange(["-e", field]);
        var result = await ProcessRunner.RunAsync("tshark", args, TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"tshark failed ({result.ExitCode}): {result.StandardError}");
        return Parse(result.StandardOutput);
    }

    /// <summary>One line per flagged frame, a field per flag: empty when not set.</summary>
    public static TcpExpertCounts Parse(string output)
    {
        long frames = 0, lost = 0, retransmitted = 0, zeroWindow = 0, keepAlive = 0;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var set = line.Split('|').Select(f => f.Length > 0).ToArray();
            frames++;
            lost += set[0] ? 1 : 0;
            retransmitted += set[1] || set[2] || set[3] || set[4] ? 1 : 0;
            zeroWindow += set[5] ? 1 : 0;
            keepAlive += set[6] ? 1 : 0;
        }
        return new TcpExpertCounts(frames, lost, retransmitted, zeroWindow, keepAlive);
    }
}
