using Microsoft.Extensions.DependencyInjection;
using RoutingFlow.Web.Fleet;
using RoutingFlow.Web.Tests.Fleet;

namespace RoutingFlow.Web.Tests.Components.Pages;

/// <summary>The fleet overview (routers × WANs: state, utilisation, incident, last scrape; filtered, sorted) and a router's page with the local WAN cards.</summary>
public sealed class FleetTests : MudBlazorTestContext
{
    private readonly FakeFleetFeed _feed = new();

    public FleetTests()
    {
        Services.AddSingleton<IFleetFeed>(_feed);
        Clock.SetUtcNow(FakeFleetFeed.T0);
    }

    [Fact]
    public void Overview_ListsEveryRouterAndWan_WithTheOverloadedOneMarked()
    {
        var cut = Render<RoutingFlow.Web.Components.Pages.Fleet>();

        Assert.Contains("2 routers, 4 WANs: 1 overloaded, 0 full, 0 unknown", cut.Find("[data-testid=fleet-summary]").TextContent, StringComparison.Ordinal);
        var overloaded = Row(cut, "b:8080", "wan1");
        Assert.Equal("overloaded", overloaded.QuerySelector("[data-testid=fleet-state]")!.TextContent.Trim());
        Assert.Contains("rx over: top rx 192.168.60.10", overloaded.QuerySelector("[data-testid=fleet-incident]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("201%", overloaded.TextContent, StringComparison.Ordinal);
        Assert.Contains("2 s ago", overloaded.TextContent, StringComparison.Ordinal);
        Assert.Equal("ok", Row(cut, "a:8080", "wan0").QuerySelector("[data-testid=fleet-state]")!.TextContent.Trim());
    }

    [Fact]
    public void Overview_FilteredByState_ShowsOnlyThoseRows()
    {
        var cut = Render<RoutingFlow.Web.Components.Pages.Fleet>();

        cut.Find("input[data-testid=fleet-filter], [data-testid=fleet-filter] input").Input("overloaded");

        var rows = cut.FindAll("tbody tr");
        Assert.Single(rows);
        Assert.Contains("b:8080", rows[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Overview_PrometheusFailing_SaysSoAndWhy()
    {
        _feed.Current = FakeFleetFeed.TwoRouters() with { State = "failing", Error = "Prometheus is unreachable: Connection refused" };

        var cut = Render<RoutingFlow.Web.Components.Pages.Fleet>();

        Assert.Contains("Prometheus failing: Prometheus is unreachable: Connection refused", cut.Find("[data-testid=fleet-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Overview_FleetModeOff_SaysWhichSettingTurnsItOn()
    {
        _feed.Current = FleetPageView.Off;

        var cut = Render<RoutingFlow.Web.Components.Pages.Fleet>();

        Assert.Contains("RoutingFlow:Fleet:Prometheus:Url", cut.Find("[data-testid=fleet-off]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void RouterPage_ShowsItsWanCards_AndItsIncidents()
    {
        var cut = Render<RoutingFlow.Web.Components.Pages.FleetRouter>(p => p.Add(c => c.Router, "b:8080"));

        Assert.Equal("overloaded", cut.Find("[data-testid=wan-wan1] [data-testid=load-state]").TextContent.Trim());
        Assert.Equal("ok", cut.Find("[data-testid=wan-wan0] [data-testid=load-state]").TextContent.Trim());
        Assert.Contains("192.168.60.10", cut.Find("[data-testid=router-incidents]").TextContent, StringComparison.Ordinal);
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<RoutingFlow.Web.Components.Pages.Fleet> cut, string router, string nic) =>
        cut.Find($"[data-testid='fleet-row-{router}-{nic}']").ParentElement!;
}
