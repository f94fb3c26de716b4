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

    [Fact]
    public void TopIpTable_AfterTheActiveOnes_ListsTheLastMinutesIdleHostsGreyed()
    {
        IpTraffic[] active = [new("192.168.50.10", 1000, 0, 0, 0)];
        IpTraffic[] idle = [new IpTraffic("192.168.50.11", 19e6, 1e5, 0, 0) { IdleSince = new DateTimeOffset(2026, 12, 3, 16, 0, 5, TimeSpan.Zero) }];

        var cut = Render<TopIpTable>(p => p.Add(t => t.Ips, active).Add(t => t.Idle, idle));

        Assert.Single(cut.FindAll("[data-testid=ip-row]"));
        var row = cut.Find("[data-testid=ip-row-idle]");
        Assert.Contains("192.168.50.11", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("19.0 Mbit/s", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("idle since 16:00:05 UTC", row.QuerySelector("[data-testid=idle-since]")!.TextContent);
        Assert.Contains("opacity: 0.5", row.GetAttribute("style"), StringComparison.Ordinal);
    }

    [Fact]
    public void TopIpTable_OnlyIdleHosts_DoesNotSayNoActiveIpsAndEmpty()
    {
        IpTraffic[] idle = [new IpTraffic("192.168.50.11", 19e6, 0, 0, 0) { IdleSince = DateTimeOffset.UnixEpoch }];

        var cut = Render<TopIpTable>(p => p.Add(t => t.Ips, []).Add(t => t.Idle, idle));

        Assert.Single(cut.FindAll("[data-testid=ip-row-idle]"));
        Assert.DoesNotContain("no active IPs", cut.Markup, StringComparison.Ordinal);
    }
}
