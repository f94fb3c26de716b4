using Bunit;
using Microsoft.Extensions.DependencyInjection;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Server.Dashboard;
using RoutingFlow.Server.Traffic;
using RoutingFlow.Web.Components.Pages;
using RoutingFlow.Web.Tests;
using RoutingFlow.Web.Traffic;

namespace RoutingFlow.Server.Tests.Dashboard;

/// <summary>The dashboard renders from the server's own traffic snapshot, mapped once per publication at its edge.</summary>
public sealed class TrafficFeedTests : MudBlazorTestContext
{
    private readonly TrafficState _state = new();

    private static TrafficSnapshot Snapshot() => new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero),
        [
            new WanTraffic("wan0", "eth0", 20_000_000, 1_000_000,
            [
                new HostTraffic(IpAddr.Parse("192.168.1.10"), 15_000_000, 500_000, 0, 0) { Name = "nas.lab.test" },
                new HostTraffic(IpAddr.Parse("fd00::11"), 5_000_000, 500_000, 0, 0),
            ]),
        ],
        [new CaptureStatus("eth0", "wan", "wan0", "running", null, 123_456, 0)]);

    [Fact]
    public void Home_RendersTheDomainSnapshot()
    {
        using var feed = new TrafficFeed(_state);
        Services.AddSingleton<ITrafficFeed>(feed);
        _state.Publish(Snapshot());

        var cut = Render<Home>();

        Assert.Equal("20.0 Mbit/s", cut.Find("[data-testid=wan-wan0] [data-testid=rx]").TextContent);
        var rows = cut.FindAll("[data-testid=wan-wan0] [data-testid=ip-row]");
        Assert.Equal(2, rows.Count);
        Assert.Contains("192.168.1.10", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("nas.lab.test", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("fd00::11", rows[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Changed_EverySubscriber_GetsTheSameViewOncePerPublication()
    {
        using var feed = new TrafficFeed(_state);
        var seen = new List<TrafficView>();
        for (var i = 0; i < 3; i++)
            feed.Changed += seen.Add;

        _state.Publish(Snapshot());

        Assert.Equal(3, seen.Count);
        Assert.All(seen, view => Assert.Same(seen[0], view));
        Assert.Same(seen[0], feed.Current);
        Assert.Equal("192.168.1.10", seen[0].Nics[0].Ips[0].Ip);
        Assert.Equal(123_456, seen[0].Captures[0].Packets);
    }
}
