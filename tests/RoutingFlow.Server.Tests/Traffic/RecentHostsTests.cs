using RoutingFlow.Capture.Addressing;
using RoutingFlow.Server.Traffic;

namespace RoutingFlow.Server.Tests.Traffic;

public class RecentHostsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 16, 0, 0, TimeSpan.Zero);

    private static HostTraffic Host(int last, double bps) => new(IpAddr.Parse($"10.0.0.{last}"), bps, 0, 0, 0);

    [Fact]
    public void AHostThatStops_IsListedIdleForAMinute_WithItsLastRates_ThenGoes()
    {
        var recent = new RecentHosts();
        Assert.Empty(recent.Update([Host(1, 19e6), Host(2, 1e6)], T0));

        var idle = recent.Update([Host(2, 1e6)], T0.AddSeconds(5)); // .1 stopped

        var stopped = Assert.Single(idle);
        Assert.Equal((IpAddr.Parse("10.0.0.1"), 19e6, T0), (stopped.Last.Ip, stopped.Last.RxBps, stopped.LastActiveAt));
        Assert.Single(recent.Update([], T0.AddSeconds(60)), h => h.Last.Ip == IpAddr.Parse("10.0.0.1"));
        Assert.DoesNotContain(recent.Update([], T0.AddSeconds(61)), h => h.Last.Ip == IpAddr.Parse("10.0.0.1"));
    }

    [Fact]
    public void AZeroRate_IsIdle_AndTheMemoryIsBounded()
    {
        var recent = new RecentHosts();
        recent.Update([.. Enumerable.Range(1, 50).Select(i => Host(i, 1e6 * (51 - i)))], T0);

        var idle = recent.Update([Host(1, 0)], T0.AddSeconds(1));

        Assert.Equal(RecentHosts.Tracked, idle.Count); // the 20 busiest are remembered, not all 50
        Assert.Equal(IpAddr.Parse("10.0.0.1"), idle[0].Last.Ip);
    }
}
