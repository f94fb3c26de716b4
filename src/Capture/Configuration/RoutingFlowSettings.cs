using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Capture.Configuration;

/// <summary>
/// The validated, resolved configuration: WANs from <c>nic.json</c>, the captures with their roles,
/// the local networks and the static mapping. Built by <see cref="SettingsBuilder"/>.
/// </summary>
public sealed record RoutingFlowSettings(
    IReadOnlyList<NicDeclaration> Nics,
    IReadOnlyList<CaptureSpec> Captures,
    IReadOnlyList<IpNetwork> LocalNetworks,
    NicMap StaticMap,
    RoutingFlowOptions Options)
{
    public IReadOnlyList<string> NicNames => StaticMap.Nics;
}

/// <summary>One interface to capture. For role <c>wan</c>, <see cref="Nic"/> is the WAN declared on that interface.</summary>
public sealed record CaptureSpec(string Interface, CaptureRole Role, string? Nic);

public enum CaptureRole
{
    Wan,
    Lan,
}
