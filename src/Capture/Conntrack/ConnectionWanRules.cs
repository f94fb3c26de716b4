namespace RoutingFlow.Capture.Conntrack;

/// <summary>
/// The WAN of a connection, first rule that applies: (1) its reply tuple goes to a WAN interface's address (the
/// kernel translated the source to it: SNAT/MASQUERADE); (2) its mark matches a <see cref="MarkRule"/>; (3) the
/// kernel's route for its packets (from its source, to its destination, with its mark) leaves by a WAN's interface. None: the IP→WAN mapping decides,
/// later, per packet. Called on the conntrack reader's thread only.
/// </summary>
public sealed class ConnectionWanRules(RouterInterfacesHolder router, IReadOnlyList<MarkRule> marks, IRouteLookup? routes) : IConnectionWanResolver
{
    public AttributionSource Resolve(in ConntrackTuple original, in ConntrackTuple reply, uint mark, out byte nic)
    {
        var interfaces = router.Current;
        if (interfaces.TryGetWanByAddress(reply.Destination, out nic))
            return AttributionSource.Nat;
        foreach (var rule in marks)
        {
            if (rule.Matches(mark))
            {
                nic = rule.Nic;
                return AttributionSource.Mark;
            }
        }
        if (routes is not null && routes.TryGetOutputInterface(original.Source, original.Destination, mark, out var ifIndex) && interfaces.TryGetWanByIfIndex(ifIndex, out nic))
            return AttributionSource.Route;
        nic = byte.MaxValue;
        return AttributionSource.Map;
    }
}
