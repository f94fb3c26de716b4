using RoutingFlow.Web.Network;

namespace RoutingFlow.Web.Tests.Network;

/// <summary>A network feed the test drives.</summary>
public sealed class FakeNetworkFeed : INetworkFeed
{
    public event Action? Changed;

    public NetworkPageView View { get; set; } = NetworkPageView.Empty;

    public NetworkPageView Current() => View;

    public void RaiseChanged() => Changed?.Invoke();

    public static NetworkPageView Sample(long attempts = 11) => new(
        [new HandshakeRowView("wan0", null, attempts, 6, 3, 2, 100.0 * 5 / attempts, 0.000034, 0.000047),
         new HandshakeRowView("wan0", "wan0", attempts, 6, 3, 2, 100.0 * 5 / attempts, null, null)],
        [new InterfaceRowView("wan0", 1e6, 99e6, 1e6, 80e6, 1e6, 20e6, 1e6, 7e6, 0.998, "wan"), new InterfaceRowView("lo", 0, 0, 0, 0, 0, 0, 0, 0, null, null)],
        [new SocketStateView("tcp", "listen", 3)], [new KernelRateView("TcpAttemptFails", 12, 0.5)], ["/proc/net/tcp6 does not exist"])
    {
        Protocols = [new ProtocolRowView("wan0", "dns", 80, 8000), new ProtocolRowView("wan0", "tls", 10, 90000)],
        Dns = [new DnsRowView("wan0", 40, 40, 0, "NXDOMAIN 8, REFUSED 24", 0.00015, 0.0005)],
    };
}
