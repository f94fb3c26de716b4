using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Capture.Configuration;

/// <summary>
/// The router's shape as configured and validated: its WANs (<c>nic.json</c>), the interfaces captured with their
/// roles, the local networks, the static mapping and the conntrack mark rules. What most features read besides
/// their own options; one instance per host.
/// </summary>
public sealed record RouterLayout(
    IReadOnlyList<NicDeclaration> Nics,
    IReadOnlyList<CaptureSpec> Captures,
    IReadOnlyList<IpNetwork> LocalNetworks,
    NicMap StaticMap,
    IReadOnlyList<Conntrack.MarkRule> ConntrackMarks)
{
    public IReadOnlyList<string> NicNames => StaticMap.Nics;

    /// <summary>The declared WAN names, for an error message.</summary>
    public string DeclaredNics => string.Join(", ", Nics.Select(n => n.Name));

    public bool IsWan(string nic) => Nics.Any(n => n.Name == nic);
}
