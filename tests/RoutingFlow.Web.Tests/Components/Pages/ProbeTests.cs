using RoutingFlow.Web.Components.Pages;
using RoutingFlow.Web.Probing;
using RoutingFlow.Web.Tests.Probing;

namespace RoutingFlow.Web.Tests.Components.Pages;

public class ProbeTests : MudBlazorTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Probe_NoTargets_SaysNothingIsProbed()
    {
        var cut = Render<Probe>();

        Assert.Contains("no targets are configured", cut.Find("[data-testid=probes-disabled]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_ShowsEachTargetsStateEstimateRttHistoryAndError()
    {
        Probes.Publish(FakeProbeFeed.Sample(Now));

        var cut = Render<Probe>();

        Assert.Equal("rx 20.0 Mbit/s · tx 19.5 Mbit/s", cut.Find("[data-testid=probe-eth0] [data-testid=capacity]").TextContent);
        Assert.Equal("degraded", cut.Find("[data-testid=interface-state]").TextContent);
        var ok = cut.Find("[data-testid=target-eth0-0]");
        Assert.Equal("ok", ok.QuerySelector("[data-testid=target-state]")!.TextContent);
        Assert.Equal("20.0 Mbit/s", ok.QuerySelector("[data-testid=target-estimate]")!.TextContent);
        Assert.Equal("12.0 ms", ok.QuerySelector("[data-testid=target-rtt]")!.TextContent);
        Assert.Equal(2, ok.QuerySelectorAll("[data-testid=spark-estimate] polyline").Length); // the failed probe breaks the line
        Assert.Contains("estimate: 19.0 Mbit/s – 20.0 Mbit/s", ok.QuerySelector("[data-testid=spark-estimate]")!.TextContent, StringComparison.Ordinal);
        var failed = cut.Find("[data-testid=target-eth0-1]");
        Assert.Contains("Connection refused", failed.QuerySelector("[data-testid=target-error]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("no data yet", failed.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_OthersTrafficDuringTheProbe_IsShownUnderTheEstimate()
    {
        var sample = FakeProbeFeed.Sample(Now);
        var itf = sample.Interfaces[0];
        Probes.Publish(sample with { Interfaces = [itf with { Targets = [itf.Targets[0] with { CrossTrafficBps = 7.3e6 }, .. itf.Targets.Skip(1)] }] });

        var cut = Render<Probe>();

        Assert.Equal("incl. 7.30 Mbit/s of others'", cut.Find("[data-testid=target-eth0-0] [data-testid=target-cross]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=target-eth0-1] [data-testid=target-cross]"));
    }

    [Fact]
    public void Probe_CorrectionFactorError_IsShownOnlyWhenThereIsOne()
    {
        Probes.Publish(FakeProbeFeed.Sample(Now));
        var cut = Render<Probe>();
        Assert.Empty(cut.FindAll("[data-testid=correction] .mud-alert"));

        Probes.Publish(FakeProbeFeed.Sample(Now) with { CorrectionFactorError = "could not be saved to /data/correction-factor.json" });

        cut.WaitForAssertion(() => Assert.Contains("could not be saved", cut.Find("[data-testid=correction] .mud-alert").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Probe_FeedPublishes_ShowsTheNewFactor()
    {
        var cut = Render<Probe>();

        Probes.Publish(FakeProbeFeed.Sample(Now) with { CorrectionFactor = 30.8 });

        cut.WaitForAssertion(() => Assert.Equal("30.8", cut.Find("[data-testid=correction-value]").TextContent));
    }

    [Fact]
    public async Task Probe_Disposed_Unsubscribes()
    {
        Render<Probe>();
        Assert.Equal(1, Probes.Subscribers);

        await DisposeComponentsAsync();

        Assert.Equal(0, Probes.Subscribers);
    }
}
