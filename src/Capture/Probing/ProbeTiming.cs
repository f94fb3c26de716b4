using RoutingFlow.Capture.Configuration;

namespace RoutingFlow.Capture.Probing;

/// <summary>The limits every probe runs under (from <see cref="ProbeOptions"/>).</summary>
public sealed record ProbeTiming(TimeSpan ConnectTimeout, TimeSpan Duration, long MaxBytes, double DiscardFirst)
{
    public static ProbeTiming From(ProbeOptions options) =>
        new(options.ConnectTimeout, options.Duration, options.MaxBytes, options.DiscardFirst);
}
