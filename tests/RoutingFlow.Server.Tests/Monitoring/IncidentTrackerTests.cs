using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Server.Tests.Monitoring;

public class IncidentTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly IncidentTiming Timing = new(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), 2);
    private readonly FakeTopIps _top = new();
    private long _ids;
    private readonly IncidentTracker _tracker;

    public IncidentTrackerTests() => _tracker = new IncidentTracker("wan1", Timing, () => ++_ids);

    private IncidentChange At(int second, double rxBps, double capacity = 20e6, TimeSpan? rtt = null)
    {
        var reading = new WanReading(capacity, null, rxBps, 0, rtt);
        return _tracker.Step(T0.AddSeconds(second), reading, LoadRule.Evaluate(reading, null, 1.0), _top);
    }

    [Fact]
    public void ShortOverload_OpensNothing()
    {
        Assert.Equal(IncidentChange.None, At(0, 30e6));
        Assert.Equal(IncidentChange.None, At(2, 30e6));
        Assert.Equal(IncidentChange.None, At(3, 10e6));
        Assert.Equal(IncidentChange.None, At(5, 30e6));
        Assert.Null(_tracker.Current);
        Assert.Equal(0, _top.Calls);
    }

    [Fact]
    public void SustainedOverload_Opens_StartingWhenItBegan_WithTheTopIps()
    {
        At(0, 25e6, rtt: TimeSpan.FromMilliseconds(12));
        At(1, 26e6);
        At(2, 27e6);

        Assert.Equal(IncidentChange.Opened, At(3, 28e6, rtt: TimeSpan.FromMilliseconds(40)));

        var open = _tracker.Open!;
        Assert.Equal((1L, "wan1", T0, CompareMode.Combined), (open.Id, open.Nic, open.StartedAt, open.Compare));
        Assert.Equal(1.4, open.PeakUtilization, 9);
        Assert.Equal(28e6, open.PeakRxBps);
        Assert.Equal("192.168.50.12", open.TopRx[0].Ip);
        Assert.Equal(0.04, open.RttAtStartSeconds);
        Assert.Equal(0.04, open.RttAtPeakSeconds);
    }

    [Fact]
    public void Peak_KeepsTheTopIpsAtThePeak_AndTheCapacityRange()
    {
        for (var s = 0; s <= 3; s++)
            At(s, 30e6);
        _top.Leader = "192.168.50.99";
        Assert.Equal(IncidentChange.Updated, At(4, 40e6, capacity: 18e6));
        _top.Leader = "192.168.50.77";
        At(5, 21e6, capacity: 19e6); // over, below the peak: the top IPs stay those of the peak

        var open = _tracker.Open!;
        Assert.Equal("192.168.50.99", open.TopRx[0].Ip);
        Assert.Equal(T0.AddSeconds(4), open.PeakAt);
        Assert.Equal((18e6, 20e6), (open.CapacityRxMinBps, open.CapacityRxMaxBps));
        Assert.Equal(20e6, open.CapacityRxBps);
        Assert.Equal(40e6, open.PeakRxBps);
    }

    [Fact]
    public void Clears_AfterClearFor_EndingWhenTheOverloadStopped()
    {
        for (var s = 0; s <= 3; s++)
            At(s, 30e6);
        Assert.Equal(IncidentChange.None, At(4, 10e6));
        Assert.Equal(IncidentChange.None, At(13, 10e6));

        Assert.Equal(IncidentChange.Closed, At(14, 10e6));

        Assert.Null(_tracker.Open);
        Assert.Equal(T0.AddSeconds(4), _tracker.Current!.EndedAt);
    }

    [Fact]
    public void OverloadWithinTheGap_ReopensTheLastIncident_LaterOneOpensAnother()
    {
        for (var s = 0; s <= 3; s++)
            At(s, 30e6);
        for (var s = 4; s <= 14; s++)
            At(s, 10e6);
        for (var s = 30; s <= 33; s++)
            At(s, 30e6);
        Assert.Equal((1L, true), (_tracker.Current!.Id, _tracker.Current.IsOpen)); // 26 s after its end: reopened
        for (var s = 34; s <= 44; s++)
            At(s, 10e6);

        for (var s = 80; s < 83; s++)
            At(s, 30e6);
        Assert.Equal(IncidentChange.Opened, At(83, 30e6)); // 46 s after: a new one
        Assert.Equal((2L, T0.AddSeconds(80)), (_tracker.Open!.Id, _tracker.Open.StartedAt));
    }

    [Fact]
    public void UnknownCapacity_IsNeverAnOverload_AndHoldsAnOpenIncident()
    {
        At(0, 30e6);
        At(1, 30e6);
        At(2, 1e9, capacity: 0);
        At(3, 30e6);
        Assert.Null(_tracker.Current); // the unknown tick broke the run

        for (var s = 10; s <= 13; s++)
            At(s, 30e6);
        for (var s = 14; s <= 40; s++)
            At(s, 10e6, capacity: 0);
        Assert.True(_tracker.Current!.IsOpen);
    }

    private sealed class FakeTopIps : ITopIps
    {
        public string Leader { get; set; } = "192.168.50.12";

        public int Calls { get; private set; }

        public (IReadOnlyList<IpRate> Rx, IReadOnlyList<IpRate> Tx) Top(string nic, int count)
        {
            Calls++;
            return ([new IpRate(Leader, 20e6), new IpRate("192.168.50.11", 1e6)], [new IpRate(Leader, 1e6)]);
        }
    }
}
