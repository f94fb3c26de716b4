using RoutingFlow.Capture.Network;

namespace RoutingFlow.Capture.Tests.Network;

public sealed class MonotonicCountersTests
{
    [Fact]
    public void AReadingBelowTheLast_IsAReset_AndTheTotalGoesOn()
    {
        var counter = new MonotonicCounter();
        long[] totals = [counter.Read(100), counter.Read(200), counter.Read(200), counter.Read(50), counter.Read(80), counter.Read(0), counter.Read(10)];

        Assert.Equal([100L, 200, 200, 250, 280, 280, 290], totals);
        Assert.Equal(2, counter.Resets);
    }

    [Fact]
    public void AnInterfaceRecreated_KeepsEveryFieldMonotonic()
    {
        var netDev = new MonotonicNetDev();
        netDev.Read(new NetDevCounters(1000, 10, 1, 2, 500, 5, 0, 0));

        var after = netDev.Read(new NetDevCounters(300, 3, 0, 0, 100, 1, 0, 0)); // deleted and re-created: from zero again

        Assert.Equal(new NetDevCounters(1300, 13, 1, 2, 600, 6, 0, 0), after);
        Assert.Equal(1, netDev.Resets);
    }
}
