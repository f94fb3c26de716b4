using RoutingFlow.Capture.Configuration;

namespace RoutingFlow.Server.Configuration;

public static class Extensions
{
    private const string FeaturesKey = "RoutingFlow.FeatureOptions";

    /// <summary>
    /// Loads and validates the configuration once, the capture's and every feature's section together; throws
    /// <see cref="ConfigurationException"/> listing every error.
    /// </summary>
    public static RoutingFlowSettings AddRoutingFlowSettings(this WebApplicationBuilder builder)
    {
        var errors = new List<string>();
        var settings = RoutingFlowConfiguration.TryLoad(builder.Configuration, builder.Environment.ContentRootPath, errors, out var core);
        var features = Configuration.FeatureOptions.Bind(builder.Configuration, core, errors);
        if (settings is null || errors.Count > 0)
            throw new ConfigurationException(errors);
        RegisterParts(builder.Services, settings);
        features.Register(builder.Services);
        builder.Host.Properties[FeaturesKey] = features;
        return settings;
    }

    /// <summary>
    /// What features inject: the router's shape and each part of the capture's options, never the whole settings
    /// (composition code gets those as a parameter).
    /// </summary>
    private static void RegisterParts(IServiceCollection services, RoutingFlowSettings settings)
    {
        var options = settings.Options;
        services.AddSingleton(settings.Layout);
        services.AddSingleton(settings.Probe);
        services.AddSingleton(options);
        services.AddSingleton(options.Capture);
        services.AddSingleton(options.Mapping);
        services.AddSingleton(options.Mapping.Conntrack);
        services.AddSingleton(options.Tcp);
        services.AddSingleton(options.Connections);
        services.AddSingleton(options.Network);
    }

    /// <summary>A feature's bound options while the host is composed (after <see cref="AddRoutingFlowSettings"/>).</summary>
    public static T FeatureOptions<T>(this WebApplicationBuilder builder) where T : class, IFeatureOptions =>
        ((Configuration.FeatureOptions)builder.Host.Properties[FeaturesKey]).Get<T>();
}
