namespace RoutingFlow.Capture.Conntrack;

/// <summary>
/// What decided the WAN (and, behind NAT, the host) of a packet, in the order the rules apply. The names are the
/// <c>source</c> label of <c>routingflow_attribution_packets_total</c>.
/// </summary>
public enum AttributionSource : byte
{
    /// <summary>The connection's reply tuple goes to a WAN interface's address (SNAT/MASQUERADE).</summary>
    Nat,

    /// <summary>The connection's mark matched a <c>Mapping:Conntrack:Marks</c> rule.</summary>
    Mark,

    /// <summary>The kernel's route for the destination with the connection's mark leaves by a WAN's interface.</summary>
    Route,

    /// <summary>The IP→WAN mapping (status API, static rules, default WAN).</summary>
    Map,

    /// <summary>No connection names a host (the router's own traffic, ICMP errors on a WAN): counted on the router's address.</summary>
    Unattributed,
}

public static class AttributionSources
{
    public const int Count = 5;

    private static readonly string[] Names = ["nat", "mark", "route", "map", "unattributed"];

    public static IReadOnlyList<string> All => Names;

    public static string Name(this AttributionSource source) => Names[(int)source];
}
