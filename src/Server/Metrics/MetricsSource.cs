using Prometheus;

namespace RoutingFlow.Server.Metrics;

/// <summary>A feature's metrics, brought up to date from the feature's state before each exposition is built.</summary>
public interface IMetricsSource
{
    /// <summary>The source's name in a log line when its update fails.</summary>
    string Name { get; }

    void Update();
}

/// <summary>A source made of the feature's metrics object and the call that updates it.</summary>
public sealed class MetricsSource(string name, Action update) : IMetricsSource
{
    public string Name { get; } = name;

    public void Update() => update();
}

public static class MetricsSourceRegistration
{
    /// <summary>
    /// Registers a feature's metrics: <paramref name="create"/> makes them on the host's registry (one instance, also
    /// resolvable as <typeparamref name="T"/>), <paramref name="update"/> says how they follow the feature's state; the
    /// exposition runs it once per build. Each feature calls this from its own <c>Extensions</c>.
    /// </summary>
    public static IServiceCollection AddMetricsSource<T>(this IServiceCollection services, Func<IServiceProvider, IMetricFactory, T> create,
        Func<IServiceProvider, T, Action> update) where T : class
    {
        services.AddSingleton(sp => create(sp, sp.GetRequiredService<IMetricFactory>()));
        services.AddSingleton<IMetricsSource>(sp => new MetricsSource(typeof(T).Name, update(sp, sp.GetRequiredService<T>())));
        return services;
    }

    /// <summary>Metrics that need nothing but the registry to be made.</summary>
    public static IServiceCollection AddMetricsSource<T>(this IServiceCollection services, Func<IMetricFactory, T> create,
        Func<IServiceProvider, T, Action> update) where T : class =>
        services.AddMetricsSource((_, factory) => create(factory), update);
}
