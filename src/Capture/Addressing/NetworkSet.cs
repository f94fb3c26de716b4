namespace RoutingFlow.Capture.Addressing;

/// <summary>A set of CIDR blocks with a membership test (the local networks).</summary>
public sealed class NetworkSet
{
    private readonly PrefixMatcher<bool> _matcher;

    public NetworkSet(IEnumerable<IpNetwork> networks)
    {
        Networks = networks.Distinct().ToList();
        _matcher = new PrefixMatcher<bool>(Networks.Select(n => KeyValuePair.Create(n, true)));
    }

    public IReadOnlyList<IpNetwork> Networks { get; }

    public bool Contains(IpAddr address) => _matcher.TryMatch(address, out _);
}
