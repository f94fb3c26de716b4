using System.Globalization;
using RoutingFlow.Capture.Analysis;

namespace RoutingFlow.Server.Cli;

/// <summary>
/// Shows how far <c>analyze</c> has read on stderr: on a terminal one line rewritten in place about once a second,
/// elsewhere (<c>--progress</c> into a log) one line per report; then a summary line with the rate.
/// Reports come from the counting thread; nothing else writes to stderr meanwhile.
/// </summary>
public sealed class AnalyzeProgress(TextWriter stderr, bool terminal) : IProgress<CountProgress>
{
    public void Report(CountProgress value)
    {
        var line = Format(value);
        if (value.Done)
            stderr.Write(terminal ? $"\r{line}\u001b[K\n" : $"{line}\n");
        else
            stderr.Write(terminal ? $"\r{line}\u001b[K" : $"{line}\n");
        stderr.Flush();
    }

    public static string Format(CountProgress value)
    {
        var seconds = Math.Max(value.Elapsed.TotalSeconds, 1e-3);
        var rate = string.Create(CultureInfo.InvariantCulture, $"{value.Packets / seconds / 1e6:F2} M packets/s");
        if (value.Done)
            return string.Create(CultureInfo.InvariantCulture,
                $"routingflow analyze: {value.Packets:N0} packets, {Megabytes(value.FileBytes)} in {seconds:F2} s ({rate})");
        var share = value.Fraction is { } fraction ? string.Create(CultureInfo.InvariantCulture, $"{fraction * 100:F0}% of ") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"routingflow analyze: {share}{Megabytes(value.FileBytes)}, {value.Packets:N0} packets ({rate})");
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:F1} MB");
}
