using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Conntrack;
using RoutingFlow.Server.Capture;

namespace RoutingFlow.Server.Mapping;

/// <summary>The router's addresses (each with its WAN, if its interface carries one) and the WANs' ifindexes, from the interface watcher's snapshot.</summary>
public static class RouterInterfacesBuilder
{
    public static RouterInterfaces Build(InterfaceSnapshot snapshot, RouterLayout layout)
    {
        var wanOf = new Dictionary<string, byte>(StringComparer.Ordinal);
        for (var i = 0; i < layout.Nics.Count; i++)
            wanOf.TryAdd(layout.Nics[i].Interface, (byte)i);
        var addresses = new Dictionary<IpAddr, byte>();
        foreach (var (name, networks) in snapshot.Addresses)
        {
            var nic = wanOf.GetValueOrDefault(name, byte.MaxValue);
            foreach (var network in networks)
            {
                if (!addresses.TryGetValue(network.Network, out var existing) || existing == byte.MaxValue)
                    addresses[network.Network] = nic;
            }
        }
        var ifIndexes = new Dictionary<int, byte>();
        foreach (var (name, nic) in wanOf)
        {
            if (snapshot.IfIndexes.TryGetValue(name, out var ifIndex))
                ifIndexes[ifIndex] = nic;
        }
        return new RouterInterfaces(snapshot.Version, addresses, ifIndexes);
    }
}
