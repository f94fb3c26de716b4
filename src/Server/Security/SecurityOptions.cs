using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Configuration;

namespace RoutingFlow.Server.Security;

/// <summary><c>RoutingFlow:Security</c>: who may change state.</summary>
public sealed class SecurityOptions : IFeatureOptions
{
    public static string Section => "Security";

    /// <summary>Key that non-loopback clients send in <c>X-Api-Key</c> to change state. None: only loopback may.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Whether a key is configured (else only loopback may change state).</summary>
    public bool KeyConfigured => !string.IsNullOrEmpty(ApiKey);

    public void Validate(RoutingFlowOptions core, List<string> errors)
    {
    }
}
