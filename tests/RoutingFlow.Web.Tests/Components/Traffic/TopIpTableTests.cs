using RoutingFlow.Web.Components.Traffic;
using RoutingFlow.Web.Traffic;

namespace RoutingFlow.Web.Tests.Components.Traffic;

public class TopIpTableTests : MudBlazorTestContext
{
    [Fact]
    public void TopIpTable_ListsOnlyTheBusiestActiveIps()
    {
        var ips = Enumerable.Range(1, 15).Select(i => new IpTraffic($"10.0.0.{i}", 1000 * (16 - i), 0, 0, 0))
            .Append(new IpTraffic("10.0.0.99", 0, 0, 0, 0)).ToList();

        var cut = Render<TopIpTable>(p => p.Add(t => t.Ips, ips).Add(t => t.Count, 5));

        var rows = cut.FindAll("[data-testid=ip-row]");
        Assert.Equal(5, rows.Count);
        Assert.Contains("10.0.0.1", rows[0].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.99", cut.Markup, StringComparison.Ordinal);
    }
}
