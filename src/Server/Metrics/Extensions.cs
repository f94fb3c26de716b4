using Prometheus;

namespace RoutingFlow.Server.Metrics;

public static class Extensions
{
    /// <summary>
    /// One registry per host (not prometheus-net's static default), with the process's metrics, the factory every
    /// feature makes its metrics with (<see cref="ReadableMetricFactory"/>: its counters and gauges can be read back,
    /// which the threshold rules do), and the exposition that <c>/metrics</c> serves. Each feature registers its own metrics
    /// (<see cref="MetricsSourceRegistration.AddMetricsSource{T}(IServiceCollection, Func{IMetricFactory, T}, Func{IServiceProvider, T, Action})"/>).
    /// </summary>
    public static void AddMetrics(this WebApplicationBuilder builder)
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = new ReadableMetricFactory(registry);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton(factory);
        builder.Services.AddSingleton<IMetricFactory>(factory);
        builder.Services.AddSingleton<MetricsExposition>();
        builder.Services.AddMetricsSource(f => new ProcessMetrics(f), (_, m) => m.Update);
    }
}
