using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Capture.Tests.Tcp;

public class PendingHandshakesTests
{
    [Fact]
    public void Attempts_ComeOutOldestFirst_OnlyOnceTheirDeadlinePassed_AcrossGrowth()
    {
        var pending = new PendingHandshakes(capacity: 5000);
        for (var i = 0; i < 3000; i++)
            pending.Add(i, (ulong)i, deadlineMicros: i);

        Assert.False(pending.TryTakeExpired(-1, out _, out _));
        for (var i = 0; i < 3000; i++)
        {
            Assert.True(pending.TryTakeExpired(2999, out var flow, out var hash));
            Assert.Equal((i, (ulong)i), (flow, hash));
        }
        Assert.Equal((0, 0L), (pending.Count, pending.Overflows));
    }

    [Fact]
    public void WhenFull_TheOldestIsDropped_AndCounted()
    {
        var pending = new PendingHandshakes(capacity: 4);
        for (var i = 0; i < 6; i++)
            pending.Add(i, 0, i);

        Assert.Equal(2, pending.Overflows);
        Assert.True(pending.TryTakeExpired(100, out var oldest, out _));
        Assert.Equal(2, oldest);
    }
}
