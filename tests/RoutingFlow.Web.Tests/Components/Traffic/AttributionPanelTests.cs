using RoutingFlow.Web.Components.Traffic;
using RoutingFlow.Web.Traffic;

namespace RoutingFlow.Web.Tests.Components.Traffic;

public sealed class AttributionPanelTests : MudBlazorTestContext
{
    [Fact]
    public void AttributionPanel_Running_ShowsTheTableAndEachWansSources()
    {
        var cut = Render<AttributionPanel>();

        Attribution.Publish(new AttributionView("auto", "running", null, null, "pcap", 1234, 2, 0,
        [
            new("wan0", 1000, new Dictionary<string, double> { ["nat"] = 0.9, ["route"] = 0.1, ["map"] = 0 }),
            new("wan1", 0, new Dictionary<string, double> { ["nat"] = 0 }),
        ]));

        cut.WaitForAssertion(() => Assert.Equal("conntrack running", cut.Find("[data-testid=attribution-state]").TextContent));
        Assert.Contains("1,234 connections · 2 resyncs", cut.Find("[data-testid=attribution-entries]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["nat 90.0%", "route 10.0%"], cut.FindAll("[data-testid=attribution-wan0] [data-testid^=share-]").Select(e => e.TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=attribution-wan1]")); // no packets yet
    }

    [Fact]
    public void AttributionPanel_Unavailable_SaysWhyTheFixAndThatTheMappingDecides()
    {
        Attribution.Publish(new AttributionView("auto", "unavailable", "subscribing to conntrack events: permission missing", "give it CAP_NET_ADMIN", "pcap", 0, 0, 0, [])
        {
            Warning = "conntrack events are off",
        });

        var cut = Render<AttributionPanel>();

        var error = cut.Find("[data-testid=attribution-error]").TextContent;
        Assert.Contains("permission missing", error, StringComparison.Ordinal);
        Assert.Contains("Fix: give it CAP_NET_ADMIN", error, StringComparison.Ordinal);
        Assert.Contains("the IP→WAN mapping decides", error, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=attribution-entries]"));
        Assert.Equal("conntrack events are off", cut.Find("[data-testid=attribution-warning]").TextContent.Trim());
    }
}
