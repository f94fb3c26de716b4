using Microsoft.Extensions.DependencyInjection;
using RoutingFlow.Web.Components.Pages;
using RoutingFlow.Web.Tests.Probing;
using RoutingFlow.Web.Tests.Traffic;
using RoutingFlow.Web.Monitoring;
using RoutingFlow.Web.Traffic;

namespace RoutingFlow.Web.Tests.Components.Pages;

public class HomeTests : MudBlazorTestContext
{
    private readonly FakeTrafficFeed _feed = new();

    public HomeTests() => Services.AddSingleton<ITrafficFeed>(_feed);

    private static TrafficView View(double wan0Rx, params IpTraffic[] wan0Ips) => new(
        new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero),
        [
            new NicTraffic("wan0", "eth0", wan0Rx, 1_000_000, wan0Ips),
            new NicTraffic("wan1", "eth1", 0, 0, []),
        ],
        [
            new CaptureInfo("eth0", "wan", "wan0", "running", null, 123_456, 0),
            new CaptureInfo("eth1", "wan", "wan1", "failed", "permission denied capturing on 'eth1': run as root, or grant the capabilities once with setcap cap_net_raw,cap_net_admin+eip /x/routingflow", 0, 0),
        ]);

    [Fact]
    public void Home_BeforeTheFirstMeasurement_SaysItIsWaiting()
    {
        var cut = Render<Home>();

        Assert.Contains("waiting for the first measurement", cut.Find("[data-testid=updated]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Home_RendersEachWanWithItsRatesAndTopIps()
    {
        _feed.Publish(View(20_000_000, new IpTraffic("192.168.1.10", 15_000_000, 500_000, 0, 0), new IpTraffic("192.168.1.11", 5_000_000, 500_000, 0, 0)));

        var cut = Render<Home>();

        Assert.Equal("20.0 Mbit/s", cut.Find("[data-testid=wan-wan0] [data-testid=rx]").TextContent);
        Assert.Equal("1.00 Mbit/s", cut.Find("[data-testid=wan-wan0] [data-testid=tx]").TextContent);
        var rows = cut.FindAll("[data-testid=wan-wan0] [data-testid=ip-row]");
        Assert.Equal(2, rows.Count);
        Assert.Contains("192.168.1.10", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("no active IPs", cut.Find("[data-testid=wan-wan1]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Home_WanCard_ShowsItsCapacityBesideItsRates()
    {
        _feed.Publish(View(15_000_000));
        Probes.Publish(FakeProbeFeed.Sample(DateTimeOffset.UnixEpoch));

        var cut = Render<Home>();

        Assert.Equal("of 20.0 Mbit/s", cut.Find("[data-testid=wan-wan0] [data-testid=rx-capacity]").TextContent);
        Assert.Equal("of 19.5 Mbit/s", cut.Find("[data-testid=wan-wan0] [data-testid=tx-capacity]").TextContent);
        Assert.Contains("degraded", cut.Find("[data-testid=wan-wan0] [data-testid=probe-state]").TextContent, StringComparison.Ordinal);
        Assert.Contains("not probed", cut.Find("[data-testid=wan-wan1] [data-testid=probe-state]").TextContent, StringComparison.Ordinal);
        Assert.Equal("75%", cut.Find("[data-testid=wan-wan0] [data-testid=utilization-rx] [data-testid=percent]").TextContent); // both capacities: a bar each
        Assert.NotEmpty(cut.FindAll("[data-testid=wan-wan0] [data-testid=utilization-tx]"));
    }

    [Fact]
    public void Home_OverloadedWan_ShowsItsUtilisationTheOpenIncidentAndTheLiveChart()
    {
        _feed.Publish(View(31_000_000));
        Monitor.Points["wan1"] = RoutingFlow.Web.Tests.Monitoring.FakeMonitor.Minutes(30);
        var incident = RoutingFlow.Web.Tests.Monitoring.FakeMonitor.Incident(4, "wan1", null);
        Monitor.Publish(new MonitorDashboardView(DateTimeOffset.UnixEpoch,
        [
            new WanLoadView("wan0", null, null, 1e3, 0, null, "combined", "unknown", [], [], null),
            new WanLoadView("wan1", 20e6, null, 31e6, 1e6, 1.6, "combined", "overloaded", incident.TopRx, incident.TopTx, incident)
                { Advice = "move 192.168.50.12 (29.0 Mbit/s rx) wan1 → wan0: wan1 160% → 15%, wan0 0% → 58%" },
        ]));

        var cut = Render<Home>();

        var wan1 = cut.Find("[data-testid=wan-wan1]");
        Assert.Equal("overloaded", wan1.QuerySelector("[data-testid=load-state]")!.TextContent);
        Assert.Equal("160% of capacity (combined)", wan1.QuerySelector("[data-testid=utilization]")!.TextContent.Trim());
        Assert.Contains("top rx: 192.168.50.12 29.0 Mbit/s", wan1.QuerySelector("[data-testid=incident-4]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, ChartLines(wan1.QuerySelector("[data-testid=live-chart]")!)["rx"]);
        Assert.Equal("advice: move 192.168.50.12 (29.0 Mbit/s rx) wan1 → wan0: wan1 160% → 15%, wan0 0% → 58%", wan1.QuerySelector("[data-testid=advice]")!.TextContent);
        Assert.Null(cut.Find("[data-testid=wan-wan0]").QuerySelector("[data-testid=advice]"));
        Assert.NotNull(wan1.QuerySelector("[data-testid=advice-signin]")); // anonymous: sign in to apply
        Assert.Null(wan1.QuerySelector("[data-testid=advice-apply]"));
        Assert.Contains("no capacity estimate", cut.Find("[data-testid=wan-wan0] [data-testid=utilization]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Home_FailedCapture_ShowsItsStateAndTheFix()
    {
        _feed.Publish(View(1_000));

        var cut = Render<Home>();

        Assert.Contains("running", cut.Find("[data-testid=capture-eth0]").TextContent, StringComparison.Ordinal);
        var failed = cut.Find("[data-testid=capture-eth1]").TextContent;
        Assert.Contains("failed", failed, StringComparison.Ordinal);
        Assert.Contains("setcap cap_net_raw,cap_net_admin+eip", failed, StringComparison.Ordinal);
    }

    [Fact]
    public void Home_FeedPublishes_ShowsTheNewRates()
    {
        _feed.Publish(View(1_000));
        var cut = Render<Home>();

        _feed.Publish(View(42_000_000, new IpTraffic("10.0.0.7", 42_000_000, 0, 0, 0)));

        cut.WaitForAssertion(() => Assert.Equal("42.0 Mbit/s", cut.Find("[data-testid=wan-wan0] [data-testid=rx]").TextContent));
        Assert.Contains("10.0.0.7", cut.Find("[data-testid=ip-row]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_Disposed_Unsubscribes()
    {
        Render<Home>();
        Assert.Equal(1, _feed.Subscribers);

        await DisposeComponentsAsync();

        Assert.Equal(0, _feed.Subscribers);
    }
}
