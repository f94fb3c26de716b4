namespace RoutingFlow.Server.Configuration;

/// <summary>The same configuration sources as the web host (appsettings.json, environment, command line) for offline commands.</summary>
public static class OfflineConfiguration
{
    public static IConfiguration Build(string[] overrides) =>
        new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(overrides)
            .Build();
}
