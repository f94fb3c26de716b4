using Prometheus;

namespace RoutingFlow.Server.Metrics;

public static class Extensions
{
    /// <summary>
    /// One registry per host (not prometheus-net's static default), with the runtime's metrics, and the exposition
    /// that <c>/metrics</c> and the threshold rules read. Each feature registers its own metrics
    /// (<see cref="MetricsSourceRegistration.AddMetricsSource{T}(IServiceCollection, Func{IMetricFactory, T}, Func{IServiceProvider, T, Action})"/>).
    /// </summary>
    public static void AddMetrics(this WebApplicationBuilder builder)
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(registry);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton<IMetricFactory>(Prometheus.Metrics.WithCustomRegistry(registry));
        builder.Services.AddSingleton<MetricsExposition>();
    }
}
