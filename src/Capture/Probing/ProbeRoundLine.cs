using System.Globalization;
using System.Text;

namespace RoutingFlow.Capture.Probing;

/// <summary>
/// The original tool's line per interface and round: <c>eth0: |1.1.1.1:150Mbps|8.8.8.8:200Mbps|</c>, estimates
/// after correction in whole Mbit/s; a failed target shows <c>ERR</c>, an unresolvable one <c>N/A</c>.
/// </summary>
public static class ProbeRoundLine
{
    public static string Format(string itf, IEnumerable<(string Server, ProbeResult Result)> results, double correction)
    {
        var line = new StringBuilder(itf).Append(": |");
        foreach (var (server, result) in results)
            line.Append(server).Append(':').Append(Value(result, correction)).Append('|');
        return line.ToString();
    }

    private static string Value(ProbeResult result, double correction) => result switch
    {
        { EstimateBps: { } bps } => (bps * correction / 1e6).ToString("F0", CultureInfo.InvariantCulture) + "Mbps",
        { Failure: ProbeFailureReason.Resolve } => "N/A",
        _ => "ERR",
    };
}
