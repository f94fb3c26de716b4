using RoutingFlow.Capture.Connections;
using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Server.Hosts;

/// <summary>
/// One attached device's connection counter for one of a host's TCP flows: the device counts by ifindex and ports,
/// not by address, so a host's counters are those whose two ports are a flow's of the host (either way round).
/// </summary>
public sealed record HostDevice(string Device, string Protocol, int SourcePort, int DestinationPort, string Direction, long Packets, long Bytes);

public static class HostDevices
{
    /// <summary>The devices' TCP entries whose port pair is one of <paramref name="flows"/>', busiest first, at most <paramref name="limit"/>.</summary>
    public static List<HostDevice> Match(IReadOnlyList<TcpFlowRow> flows, IEnumerable<(string Device, IReadOnlyList<ConnectionEntry> Entries)> devices, int limit = 100)
    {
        if (flows.Count == 0)
            return [];
        var ports = new HashSet<(int, int)>();
        foreach (var f in flows)
        {
            ports.Add((f.ClientPort, f.ServerPort));
            ports.Add((f.ServerPort, f.ClientPort));
        }
        var found = new List<HostDevice>();
        foreach (var (device, entries) in devices)
        {
            foreach (var e in entries)
            {
                if (e.Key.Protocol == ConnectionProtocol.Tcp && ports.Contains((e.Key.SourcePort, e.Key.DestinationPort)))
                    found.Add(new HostDevice(device, "tcp", e.Key.SourcePort, e.Key.DestinationPort, e.Key.Direction == ConnectionDirection.Ingress ? "ingress" : "egress", e.Packets, e.Bytes));
            }
        }
        return [.. found.OrderByDescending(d => d.Bytes).ThenBy(d => d.Device, StringComparer.Ordinal).ThenBy(d => d.SourcePort).ThenBy(d => d.DestinationPort).ThenBy(d => d.Direction, StringComparer.Ordinal).Take(limit)];
    }
}
