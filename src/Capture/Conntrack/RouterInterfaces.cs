using System.Collections.Frozen;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Conntrack;

/// <summary>
/// The router's own addresses and which WAN each belongs to, and the WANs' interface indexes: what the attribution
/// rules need from the system's interfaces. Immutable; the server makes a new one when the interfaces change.
/// </summary>
public sealed class RouterInterfaces(long version, IReadOnlyDictionary<IpAddr, byte> addresses, IReadOnlyDictionary<int, byte> wanIfIndexes)
{
    private readonly FrozenDictionary<IpAddr, byte> _addresses = addresses.ToFrozenDictionary();
    private readonly FrozenDictionary<int, byte> _wanIfIndexes = wanIfIndexes.ToFrozenDictionary();

    public static RouterInterfaces Empty { get; } = new(0, new Dictionary<IpAddr, byte>(), new Dictionary<int, byte>());

    public long Version { get; } = version;

    /// <summary>True when <paramref name="ip"/> is an address of one of the router's interfaces.</summary>
    public bool IsRouterAddress(IpAddr ip) => _addresses.ContainsKey(ip);

    /// <summary>The WAN whose interface has <paramref name="ip"/>.</summary>
    public bool TryGetWanByAddress(IpAddr ip, out byte nic) => _addresses.TryGetValue(ip, out nic) && nic != byte.MaxValue;

    /// <summary>The WAN whose interface has index <paramref name="ifIndex"/>.</summary>
    public bool TryGetWanByIfIndex(int ifIndex, out byte nic) => _wanIfIndexes.TryGetValue(ifIndex, out nic);
}

/// <summary>The router's interfaces in effect, swapped whole when they change.</summary>
public sealed class RouterInterfacesHolder
{
    private volatile RouterInterfaces _current = RouterInterfaces.Empty;

    public RouterInterfaces Current
    {
        get => _current;
        set => _current = value;
    }
}
