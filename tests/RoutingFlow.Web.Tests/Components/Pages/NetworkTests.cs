using Microsoft.Extensions.DependencyInjection;
using RoutingFlow.Web.Tests.Network;

namespace RoutingFlow.Web.Tests.Components.Pages;

public class NetworkTests : MudBlazorTestContext
{
    public NetworkTests() => Services.AddSingleton<RoutingFlow.Web.Network.INetworkFeed>(Feed);

    private FakeNetworkFeed Feed { get; } = new();

    [Fact]
    public void Network_ShowsAttemptsPerWan_RatesWithAverages_Coverage_SocketsAndProblems()
    {
        Feed.View = FakeNetworkFeed.Sample();

        var cut = Render<RoutingFlow.Web.Components.Pages.Network>();

        var all = cut.Find("[data-testid=handshake-wan0-all]");
        Assert.Equal("11", all.QuerySelector("[data-testid=attempts]")!.TextContent);
        Assert.Equal("45.5 %", all.QuerySelector("[data-testid=error-rate]")!.TextContent);
        Assert.Contains("0.034 ms", all.TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=handshake-wan0-wan0]"));
        var wan0 = cut.Find("[data-testid=interface-wan0]");
        Assert.Contains("99.0 Mbit/s", wan0.TextContent, StringComparison.Ordinal);
        Assert.Equal("99.8 % (wan)", wan0.QuerySelector("[data-testid=coverage]")!.TextContent);
        Assert.Equal("", cut.Find("[data-testid=interface-lo] [data-testid=coverage]").TextContent); // no capture on lo
        Assert.Contains("listen", cut.Find("[data-testid=sockets]").TextContent, StringComparison.Ordinal);
        Assert.Contains("TcpAttemptFails", cut.Find("[data-testid=kernel]").TextContent, StringComparison.Ordinal);
        Assert.Contains("tcp6 does not exist", cut.Find("[data-testid=network-problem]").TextContent, StringComparison.Ordinal);
        Assert.Equal("80", cut.Find("[data-testid=protocol-wan0-dns] [data-testid=packets]").TextContent);
        Assert.Equal("NXDOMAIN 8, REFUSED 24", cut.Find("[data-testid=dns-wan0] [data-testid=errors]").TextContent);
        Assert.Contains("0.15 ms", cut.Find("[data-testid=dns-wan0]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Network_ShowsTlsAndHttp_AndTheNamesSeen()
    {
        Feed.View = new RoutingFlow.Web.Network.NetworkPageView([], [], [], [], [])
        {
            Apps = [new("wan0", 17, 17, 0.0009, 0.0014, 8, 8, 0.0007, 0.006, "TLS 1.3 13, TLS 1.2 4, HTTP/1.1 8")],
            Names = [new("192.0.2.100", "last.lab.test", "tls", 298)],
            NameCache = (1, 16_384),
        };

        var cut = Render<RoutingFlow.Web.Components.Pages.Network>();

        Assert.Equal("17", cut.Find("[data-testid=app-wan0] [data-testid=hellos]").TextContent);
        Assert.Contains("0.9 ms", cut.Find("[data-testid=app-wan0]").TextContent, StringComparison.Ordinal);
        Assert.Equal("TLS 1.3 13, TLS 1.2 4, HTTP/1.1 8", cut.Find("[data-testid=app-wan0] [data-testid=versions]").TextContent);
        Assert.Equal("last.lab.test", cut.Find("[data-testid='name-192.0.2.100'] [data-testid=name]").TextContent);
        Assert.Contains("(1 of 16384)", cut.Find("[data-testid=names]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Network_SaysSo_WhenNoTlsOrHttpWasSeen()
    {
        Feed.View = FakeNetworkFeed.Sample();
        Assert.Contains("No TLS hello or HTTP request seen yet", Render<RoutingFlow.Web.Components.Pages.Network>().Find("[data-testid=apps]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Network_FollowsTheFeed()
    {
        Feed.View = FakeNetworkFeed.Sample();
        var cut = Render<RoutingFlow.Web.Components.Pages.Network>();

        Feed.View = FakeNetworkFeed.Sample(attempts: 20);
        Feed.RaiseChanged();

        cut.WaitForAssertion(() => Assert.Equal("20", cut.Find("[data-testid=handshake-wan0-all] [data-testid=attempts]").TextContent));
    }
}
