using RoutingFlow.Web.Tests.Tcp;

namespace RoutingFlow.Web.Tests.Components.Pages;

public class TcpHealthTests : MudBlazorTestContext
{
    [Fact]
    public void TcpHealth_ShowsEachCapture_ItsWanLoss_RatesOverTime_AndTheTopFlows()
    {
        Tcp.Interfaces.Add(FakeTcpFeed.Wan0());
        Tcp.Points["wan0"] = FakeTcpFeed.Seconds(120);
        Tcp.Flows.AddRange([FakeTcpFeed.Flow(9), FakeTcpFeed.Flow(3)]);

        var cut = Render<RoutingFlow.Web.Components.Pages.TcpHealth>();

        var card = cut.Find("[data-testid=tcp-wan0]");
        Assert.Contains("62", card.QuerySelector("[data-testid=tcp-missing]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("12.9/s", card.QuerySelector("[data-testid=tcp-missing]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("2 active · window 651 KiB", card.QuerySelector("[data-testid=tcp-active]")!.TextContent);
        Assert.Equal("38 µs · 84 µs", card.QuerySelector("[data-testid=tcp-rtt]")!.TextContent);
        Assert.Contains("2.43%", card.QuerySelector("[data-testid=tcp-nic]")!.TextContent, StringComparison.Ordinal);
        var lines = ChartLines(card.QuerySelector("[data-testid=tcp-chart]")!);
        Assert.Equal(["missing/s", "duplicate/s", "out-of-order/s", "zero window/s", "window shrink/s"], lines.Keys);
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=tcp-flow]").Count));
        Assert.Contains("192.168.50.10:40000", cut.FindAll("[data-testid=tcp-flow]")[0].TextContent, StringComparison.Ordinal);
        Assert.Equal((20, "loss"), Tcp.FlowQueries[0]);
    }

    [Fact]
    public void TcpHealth_WithoutCaptures_SaysSo_AndUpdatesWhenOneArrives()
    {
        var cut = Render<RoutingFlow.Web.Components.Pages.TcpHealth>();
        Assert.Contains("No capture is running", cut.Find("[data-testid=tcp-none]").TextContent, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=tcp-no-flows]")));

        Tcp.Interfaces.Add(FakeTcpFeed.Wan0(missing: 70));
        Tcp.RaiseChanged();

        cut.WaitForAssertion(() => Assert.Contains("70", cut.Find("[data-testid=tcp-wan0] [data-testid=tcp-missing]").TextContent, StringComparison.Ordinal));
    }
}
