using RoutingFlow.Capture.Configuration;

namespace RoutingFlow.Server.Configuration;

public static class Extensions
{
    /// <summary>Loads and validates the configuration once; throws <see cref="ConfigurationException"/> listing every error.</summary>
    public static RoutingFlowSettings AddRoutingFlowSettings(this WebApplicationBuilder builder)
    {
        var settings = RoutingFlowConfiguration.Load(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(settings.Options);
        return settings;
    }
}
