using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Configuration;

namespace RoutingFlow.Server.Metrics;

/// <summary><c>RoutingFlow:Metrics</c>: what <c>/metrics</c> carries.</summary>
public sealed class MetricsOptions : IFeatureOptions
{
    public static string Section => "Metrics";

    /// <summary>Per-IP series kept per WAN (highest rate first); the rest are summed under <c>ip="other"</c>.</summary>
    public int MaxIpSeriesPerNic { get; set; } = 200;

    public void Validate(RoutingFlowOptions core, List<string> errors) =>
        ConfigChecks.Range(errors, "Metrics:MaxIpSeriesPerNic", MaxIpSeriesPerNic, 1, 100_000, "");
}
