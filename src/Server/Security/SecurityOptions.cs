using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Configuration;

namespace RoutingFlow.Server.Security;

/// <summary><c>RoutingFlow:Security</c>: who may read and who may change state (from a non-loopback address; loopback may always).</summary>
public sealed class SecurityOptions : IFeatureOptions
{
    public static string Section => "Security";

    /// <summary>
    /// Key that non-loopback clients send (<c>X-Api-Key</c>, or <c>Authorization: Bearer</c>, or once through the
    /// dashboard's sign-in) to read and to change state. None: only loopback may change state.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Whether anyone who reaches a non-loopback listener may read without the key (per-IP traffic, names, incidents,
    /// history, devices, the pages). Default false: reads need the key too, and a server listening beyond loopback
    /// with neither a key nor this refuses to start.
    /// </summary>
    public bool PublicReads { get; set; }

    /// <summary>Requests that change state one client beyond loopback may make per minute (then 429 until the minute ends).</summary>
    public int StateChangesPerMinute { get; set; } = 60;

    /// <summary>Whether a key is configured (else only loopback may change state).</summary>
    public bool KeyConfigured => !string.IsNullOrEmpty(ApiKey);

    public void Validate(RoutingFlowOptions core, List<string> errors) =>
        ConfigChecks.Range(errors, "Security:StateChangesPerMinute", StateChangesPerMinute, 1, 100_000, "");
}
