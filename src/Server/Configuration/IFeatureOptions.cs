using RoutingFlow.Capture.Configuration;

namespace RoutingFlow.Server.Configuration;

/// <summary>
/// A server feature's own section under <c>RoutingFlow</c> (e.g. <c>RoutingFlow:Monitor</c>), defined and validated
/// in the feature's folder. Every implementation in the server is bound and validated at start-up together with the
/// capture's options (<see cref="FeatureOptions"/>), so one message still lists every problem; each is then a
/// singleton the feature injects.
/// </summary>
public interface IFeatureOptions
{
    /// <summary>The section's name under <c>RoutingFlow</c>.</summary>
    static abstract string Section { get; }

    /// <summary>Adds each problem to <paramref name="errors"/> with its full key (<c>RoutingFlow:Section:Key</c>).</summary>
    /// <param name="core">The capture's options, for the few checks that span features.</param>
    void Validate(RoutingFlowOptions core, List<string> errors);
}
