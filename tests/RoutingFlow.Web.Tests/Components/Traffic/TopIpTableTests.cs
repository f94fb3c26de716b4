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

    [Fact]
    public void TopIpTable_ShowsAKnownName_BesideItsIp()
    {
        IpTraffic[] ips = [new("192.168.50.10", 1000, 0, 0, 0) { Name = "h1.lab.test" }, new("192.168.50.11", 500, 0, 0, 0)];

        var cut = Render<TopIpTable>(p => p.Add(t => t.Ips, ips));

        var rows = cut.FindAll("[data-testid=ip-row]");
        Assert.Equal("h1.lab.test", rows[0].QuerySelector("[data-testid=ip-name]")!.TextContent);
        Assert.Null(rows[1].QuerySelector("[data-testid=ip-name]"));
    }
}
