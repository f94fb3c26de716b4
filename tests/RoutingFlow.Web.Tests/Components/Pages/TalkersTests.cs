using RoutingFlow.Web.Components.Pages;
using RoutingFlow.Web.Monitoring;

namespace RoutingFlow.Web.Tests.Components.Pages;

public class TalkersTests : MudBlazorTestContext
{
    [Fact]
    public void Talkers_ListsWhoUsedTheLine_OverTheLastHourOfEveryWan_WithDownloads()
    {
        Monitor.Talkers.Add(new TalkerView("192.168.50.11", "nas.lab", 876_932_923, 1_000, 1.95e6, 2.2e3));

        var cut = Render<Talkers>();

        var row = cut.Find("[data-testid=talker-row]");
        Assert.Contains("192.168.50.11 (nas.lab)", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("836 MiB", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("1.95 Mbit/s", row.TextContent, StringComparison.Ordinal);
        var (nic, from, to, direction) = Monitor.TalkerQueries.Last();
        Assert.Equal((null, TimeSpan.FromHours(1), "total"), (nic, to - from, direction));
        Assert.Contains($"from={from.ToUnixTimeSeconds()}&to={to.ToUnixTimeSeconds()}&direction=total&top=50&format=csv", cut.Find("[data-testid=talkers-csv]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public void Talkers_NothingStored_SaysSo()
    {
        var cut = Render<Talkers>();

        Assert.Contains("no stored traffic in this range", cut.Find("[data-testid=talkers-none]").TextContent, StringComparison.Ordinal);
    }
}
