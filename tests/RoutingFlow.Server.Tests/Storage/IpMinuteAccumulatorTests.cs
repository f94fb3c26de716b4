using RoutingFlow.Capture.Addressing;
using RoutingFlow.Server.Storage;
using RoutingFlow.Server.Traffic;

namespace RoutingFlow.Server.Tests.Storage;

public class IpMinuteAccumulatorTests
{
    private static readonly IpAddr A = IpAddr.Parse("192.168.50.10");
    private static readonly IpAddr B = IpAddr.Parse("192.168.50.11");

    private static HostTraffic Host(IpAddr ip, long rx, long tx, string? name = null) => new(ip, 0, 0, rx, tx) { Name = name };

    [Fact]
    public void AHostThatGoesIdleBeforeTheMinuteEnds_KeepsItsBytes()
    {
        var minute = new IpMinuteAccumulator();
        minute.Add([Host(A, 1_000, 10), Host(B, 5, 5)]); // the starting point
        minute.Add([Host(A, 3_000, 20, "nas.lab"), Host(B, 5, 5)]);
        minute.Add([Host(B, 6, 5)]); // A idle: gone from the live table

        var top = minute.TakeTop(10);

        Assert.Equal([(A, 2_000L, 10L, "nas.lab"), (B, 1L, 0L, (string?)null)], top);
        Assert.Empty(minute.TakeTop(10)); // a new minute
    }

    [Fact]
    public void AHostBackAfterAnOutage_CountsOnlyWhatItCarriedSince_NotItsWholeHistory()
    {
        var minute = new IpMinuteAccumulator();
        minute.Add([Host(A, 5_000_000, 0)]);
        minute.Add([]); // its capture restarting: the host is missing for a tick
        minute.Add([Host(A, 5_000_700, 0)]);

        Assert.Equal([(A, 700L, 0L, (string?)null)], minute.TakeTop(10));
    }

    [Fact]
    public void ACounterThatWentBackwards_CountsNothingThatTick_ThenCountsOn_AndANewHostCountsAllItsBytes()
    {
        var minute = new IpMinuteAccumulator();
        minute.Add([Host(A, 5_000, 0)]);
        minute.Add([Host(A, 700, 0), Host(B, 300, 0)]); // A forgotten by the capture and seen again; B new
        minute.Add([Host(A, 900, 0), Host(B, 300, 0)]);

        Assert.Equal([(B, 300L, 0L, (string?)null), (A, 200L, 0L, (string?)null)], minute.TakeTop(10));
    }

    [Fact]
    public void TakeTop_KeepsTheBusiest()
    {
        var minute = new IpMinuteAccumulator();
        minute.Add([]);
        minute.Add([Host(A, 10, 0), Host(B, 20, 0)]);

        Assert.Equal(B, Assert.Single(minute.TakeTop(1)).Ip);
    }
}
