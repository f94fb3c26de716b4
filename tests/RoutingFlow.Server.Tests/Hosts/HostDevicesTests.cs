using RoutingFlow.Capture.Connections;
using RoutingFlow.Capture.Tcp;
using RoutingFlow.Server.Hosts;

namespace RoutingFlow.Server.Tests.Hosts;

public class HostDevicesTests
{
    private static TcpFlowRow Flow(int clientPort, int serverPort) => new("lan0", "wan1", "192.168.50.11", clientPort, "192.0.2.100", serverPort, "tcp",
        10, 10_000, 0, 0, 0, 0, 0, null, null, null, false);

    private static ConnectionEntry Entry(ushort source, ushort destination, ConnectionDirection direction, ConnectionProtocol protocol, long bytes) =>
        new(new ConnectionKey(7, source, destination, direction, protocol), bytes / 100, bytes, 0);

    [Fact]
    public void Match_TheDevicesTcpEntriesWithAFlowsPorts_EitherWayRound_BusiestFirst()
    {
        IReadOnlyList<ConnectionEntry> entries =
        [
            Entry(40000, 5201, ConnectionDirection.Egress, ConnectionProtocol.Tcp, 1_000),
            Entry(5201, 40000, ConnectionDirection.Ingress, ConnectionProtocol.Tcp, 900_000), // the download's way back, as the device saw it
            Entry(40000, 5201, ConnectionDirection.Egress, ConnectionProtocol.Udp, 5_000), // same ports, UDP: another conversation
            Entry(40001, 5201, ConnectionDirection.Egress, ConnectionProtocol.Tcp, 2_000), // not this host's flow
        ];

        var matched = HostDevices.Match([Flow(40000, 5201)], [("veth-h2", entries)]);

        Assert.Equal([(5201, 40000, "ingress", 900_000L), (40000, 5201, "egress", 1_000L)], matched.Select(d => (d.SourcePort, d.DestinationPort, d.Direction, d.Bytes)));
        Assert.All(matched, d => Assert.Equal(("veth-h2", "tcp"), (d.Device, d.Protocol)));
    }

    [Fact]
    public void Match_NoFlows_NothingFromTheDevices()
    {
        Assert.Empty(HostDevices.Match([], [("veth-h2", [Entry(1, 2, ConnectionDirection.Egress, ConnectionProtocol.Tcp, 10)])]));
    }
}
