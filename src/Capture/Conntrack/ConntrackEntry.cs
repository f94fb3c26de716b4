namespace RoutingFlow.Capture.Conntrack;

/// <summary>A tracked connection as the table hands it out: both tuples, the mark, and the WAN its rules chose (<c>Nic</c> 255 and <see cref="AttributionSource.Map"/> when none did).</summary>
public readonly record struct ConntrackEntry(ConntrackTuple Original, ConntrackTuple Reply, uint Mark, byte Nic, AttributionSource Source);

/// <summary>Chooses a connection's WAN by the rules that need only the connection (NAT address, mark, route).</summary>
public interface IConnectionWanResolver
{
    /// <summary>The rule that decided and its WAN; <see cref="AttributionSource.Map"/> with <paramref name="nic"/> 255 when none did.</summary>
    AttributionSource Resolve(in ConntrackTuple original, in ConntrackTuple reply, uint mark, out byte nic);
}
