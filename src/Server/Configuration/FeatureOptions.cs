using System.Reflection;
using RoutingFlow.Capture.Configuration;

namespace RoutingFlow.Server.Configuration;

/// <summary>Binds and validates every <see cref="IFeatureOptions"/> of the server, and hands each to its feature.</summary>
public sealed class FeatureOptions
{
    private readonly Dictionary<Type, object> _bound = [];

    /// <summary>Binds each feature's section of <paramref name="configuration"/>; problems go to <paramref name="errors"/>.</summary>
    public static FeatureOptions Bind(IConfiguration configuration, RoutingFlowOptions core, List<string> errors)
    {
        var options = new FeatureOptions();
        var bind = typeof(FeatureOptions).GetMethod(nameof(BindOne), BindingFlags.NonPublic | BindingFlags.Static)!;
        foreach (var type in OptionTypes())
            options._bound[type] = bind.MakeGenericMethod(type).Invoke(null, [configuration, core, errors])!;
        return options;
    }

    /// <summary>The bound options of one feature.</summary>
    public T Get<T>() where T : class, IFeatureOptions => (T)_bound[typeof(T)];

    /// <summary>Registers each feature's options as a singleton.</summary>
    public void Register(IServiceCollection services)
    {
        foreach (var (type, value) in _bound)
            services.AddSingleton(type, value);
    }

    internal static IEnumerable<Type> OptionTypes() => typeof(FeatureOptions).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IFeatureOptions).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal);

    private static T BindOne<T>(IConfiguration configuration, RoutingFlowOptions core, List<string> errors) where T : class, IFeatureOptions, new()
    {
        var options = new T();
        OptionsBinder.Bind(configuration.GetSection($"{RoutingFlowOptions.Section}:{T.Section}"), options, errors);
        options.Validate(core, errors);
        return options;
    }
}
