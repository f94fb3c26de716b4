namespace RoutingFlow.Capture.Mapping;

/// <summary>A WAN from <c>nic.json</c>: its name (<c>wan0</c>) and interface (<c>eth0</c>, or <c>auto</c> for the default route's).</summary>
public sealed record NicDeclaration(string Name, string Interface)
{
    public const string Auto = "auto";

    public bool IsAuto => string.Equals(Interface, Auto, StringComparison.OrdinalIgnoreCase);
}
