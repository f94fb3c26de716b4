using RoutingFlow.Server.Fleet;

namespace RoutingFlow.Server.Tests.Fleet;

/// <summary>The queries' answers grouped by router and nic; values that are not finite are left out.</summary>
public sealed class FleetSampleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Build_GroupsEveryAnswerByRouterAndWan()
    {
        KeyedSample S(string router, string nic, double value, string? ip = null) => new(router, nic, ip, value);
        var answers = new FleetAnswers(
            CapacityRx: [S("a", "wan0", 100e6), S("b", "wan0", 50e6)],
            CapacityTx: [S("a", "wan0", 20e6)],
            ActualRx: [S("a", "wan0", 30e6), S("b", "wan0", 45e6), S("b", "wan1", double.NaN)],
            ActualTx: [S("a", "wan0", 2e6)],
            TopRx: [S("b", "wan0", 5e6, "192.168.1.2"), S("b", "wan0", 40e6, "192.168.1.1")],
            TopTx: [],
            LastSample: [S("a", "wan0", T0.ToUnixTimeSeconds() - 3.5)]);

        var sample = FleetSample.Build(T0, answers);

        Assert.Equal(["a", "b"], sample.Routers.Keys.Order());
        var a = Assert.Single(sample.Routers["a"]);
        Assert.Equal((100e6, 20e6, 30e6, 2e6), (a.CapacityRxBps, a.CapacityTxBps, a.ActualRxBps, a.ActualTxBps));
        Assert.Equal(T0.AddSeconds(-3.5), a.LastSampleAt);
        var b = Assert.Single(sample.Routers["b"]);
        Assert.Null(b.CapacityTxBps);
        Assert.Equal(["192.168.1.1", "192.168.1.2"], b.TopRx.Select(r => r.Ip));
    }

    [Fact]
    public void Expand_FillsTheRouterLabelTheTopCountAndTheBusyRouters()
    {
        Assert.Equal("topk by (router, nic) (5, network_ip_rx_bps > 0)", FleetQueries.Expand(new FleetQueries().TopRx, "router", 5));
        Assert.Equal("""topk by (instance, nic) (5, network_ip_rx_bps{instance=~"198\\.18\\.0\\.2:8080|r\\(1\\)\"x"} > 0)""",
            FleetQueries.Expand(new FleetQueries().TopRx, "instance", 5, ["r(1)\"x", "198.18.0.2:8080"]));
    }
}
