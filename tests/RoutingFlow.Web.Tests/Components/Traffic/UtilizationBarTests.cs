using RoutingFlow.Web.Components.Traffic;

namespace RoutingFlow.Web.Tests.Components.Traffic;

public class UtilizationBarTests : MudBlazorTestContext
{
    [Fact]
    public void AnUploadAgainstTheRxCapacity_FillsTheBarWithItsTxPart()
    {
        // The case: combined mode, a download-only probe, a 47.8 Mbit/s upload on a 20 Mbit/s line.
        var cut = Render<UtilizationBar>(p => p.Add(b => b.Label, "rx + tx").Add(b => b.TestId, "utilization-combined")
            .Add(b => b.Capacity, 20e6).Add(b => b.RxBps, 0.157e6).Add(b => b.TxBps, 47.8e6));

        Assert.Equal("240%", cut.Find("[data-testid=percent]").TextContent);
        Assert.Contains("width: 99.67%", cut.Find("[data-testid=tx-part]").GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains("width: 0.33%", cut.Find("[data-testid=rx-part]").GetAttribute("style"), StringComparison.Ordinal);
    }

    [Fact]
    public void UnderCapacity_ThePartsAreTheirShareOfIt()
    {
        var cut = Render<UtilizationBar>(p => p.Add(b => b.Label, "rx + tx").Add(b => b.TestId, "u")
            .Add(b => b.Capacity, 100e6).Add(b => b.RxBps, 30e6).Add(b => b.TxBps, 10e6));

        Assert.Equal("40%", cut.Find("[data-testid=percent]").TextContent);
        Assert.Contains("width: 30%", cut.Find("[data-testid=rx-part]").GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains("width: 10%", cut.Find("[data-testid=tx-part]").GetAttribute("style"), StringComparison.Ordinal);
    }
}
