using System.Net.NetworkInformation;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Server.Capture;

/// <summary>The host addresses (/32, /128) of the capture interfaces: always local, whatever LocalNetworks says.</summary>
public static class InterfaceAddresses
{
    public static IEnumerable<IpNetwork> Of(IEnumerable<string> interfaceNames)
    {
        var names = interfaceNames.ToHashSet();
        return NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => names.Contains(n.Name))
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Where(a => a.Address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || a.Address.ScopeId == 0)
            .Select(a => IpAddr.FromIPAddress(a.Address))
            .Select(ip => new IpNetwork(ip, ip.Bits))
            .ToList();
    }
}
