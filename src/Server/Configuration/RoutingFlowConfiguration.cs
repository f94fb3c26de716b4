using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Server.Configuration;

/// <summary>
/// Binds <c>RoutingFlow</c>, reads <c>nic.json</c> and validates both; every problem is collected with its key
/// so start-up fails with one message. Shared by the server and the offline commands.
/// </summary>
public static class RoutingFlowConfiguration
{
    public static RoutingFlowSettings Load(IConfiguration configuration, string contentRoot)
    {
        var errors = new List<string>();
        return TryLoad(configuration, contentRoot, errors, out _) ?? throw new ConfigurationException(errors);
    }

    /// <summary>The capture's settings, or null with every problem in <paramref name="errors"/>; <paramref name="options"/> is bound either way.</summary>
    public static RoutingFlowSettings? TryLoad(IConfiguration configuration, string contentRoot, List<string> errors, out RoutingFlowOptions options)
    {
        options = Bind(configuration, errors);
        var nicPath = Path.Combine(contentRoot, options.NicFile);
        var watchesOthers = !string.IsNullOrWhiteSpace(configuration[$"{RoutingFlowOptions.Section}:Fleet:Prometheus:Url"]); // a fleet server needs no WAN of its own
        var nics = NicFile.Load(nicPath, errors, allowNone: watchesOthers);
        return SettingsBuilder.TryBuild(options, nics, () => DefaultRoute.FindInterface(), errors);
    }

    private static RoutingFlowOptions Bind(IConfiguration configuration, List<string> errors)
    {
        var options = new RoutingFlowOptions();
        OptionsBinder.Bind(configuration.GetSection(RoutingFlowOptions.Section), options, errors);
        return options;
    }
}

/// <summary>Invalid configuration: <see cref="Errors"/> lists every problem with its key.</summary>
public sealed class ConfigurationException(IReadOnlyList<string> errors)
    : Exception("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
