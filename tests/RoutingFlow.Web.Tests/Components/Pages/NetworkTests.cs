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
    public void Network_FollowsTheFeed()
    {
        Feed.View = FakeNetworkFeed.Sample();
        var cut = Render<RoutingFlow.Web.Components.Pages.Network>();

        Feed.View = FakeNetworkFeed.Sample(attempts: 20);
        Feed.RaiseChanged();

        cut.WaitForAssertion(() => Assert.Equal("20", cut.Find("[data-testid=handshake-wan0-all] [data-testid=attempts]").TextContent));
    }
}
