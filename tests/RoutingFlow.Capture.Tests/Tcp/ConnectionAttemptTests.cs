using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Tcp;
using static RoutingFlow.Capture.Tests.Tcp.Segments;

namespace RoutingFlow.Capture.Tests.Tcp;

public class ConnectionAttemptTests
{
    private readonly TcpAnalyzer _tcp = new(new TcpAnalysisOptions(), connectTimeout: TimeSpan.FromSeconds(2));

    private ConnectionSummary PublishAt(long micros)
    {
        _tcp.Publish(new PublishTime(micros, micros));
        return _tcp.Latest!.Connections;
    }

    [Fact]
    public void ACompletedHandshake_IsOneAttemptAndOneSuccess_EvenWithItsSynRetransmitted()
    {
        var s = new Segments();
        _tcp.Consume([s.FromClient(1000, 0, Syn), s.FromClient(1000, 0, Syn, after: 1_000_000), s.FromServer(5000, 1001, Syn | Ack, after: 3_000),
            s.FromClient(1001, 5001, Ack, after: 1_000)]);

        var c = PublishAt(s.Micros + 10_000_000);

        Assert.Equal((1L, 1L, 0L), (c.Attempts, c.Successes, c.Failures));
        Assert.Equal(0.004, c.SetupMean!.Value, 6); // from the SYN that was answered
        Assert.Equal(0, c.ErrorRate);
    }

    [Fact]
    public void ARstAnsweringTheSyn_IsRefused()
    {
        var s = new Segments(clientPort: 40001);
        _tcp.Consume([s.FromClient(1000, 0, Syn), s.FromServer(0, 1001, Rst | Ack)]);

        var c = PublishAt(s.Micros);

        Assert.Equal((1L, 0L, 1L, 0L), (c.Attempts, c.Successes, c.Refused, c.TimedOut));
        Assert.Equal(100, c.ErrorRate);
    }

    [Fact]
    public void NoAnswerWithinTheConnectTimeout_TimesOut_OnceAndOnlyAfterIt()
    {
        var s = new Segments(clientPort: 40002);
        _tcp.Consume([s.FromClient(1000, 0, Syn)]);
        var start = s.Micros;

        Assert.Equal((0L, 1), (PublishAt(start + 1_999_000).TimedOut, PublishAt(start + 1_999_000).Pending));
        Assert.Equal(1, PublishAt(start + 2_000_000).TimedOut);
        Assert.Equal(1, PublishAt(start + 9_000_000).TimedOut);
        _tcp.Consume([new Segments(clientPort: 40002) { Micros = start + 9_000_000 }.FromServer(0, 1001, Rst | Ack)]); // too late to refuse
        Assert.Equal((1L, 0L), (PublishAt(start + 9_100_000).TimedOut, PublishAt(start + 9_100_000).Refused));
    }

    [Fact]
    public void Attempts_AreCountedPerWan()
    {
        var s = new Segments(clientPort: 40003);
        _tcp.Consume([s.FromClient(1000, 0, Syn), s.FromServer(5000, 1001, Syn | Ack), s.FromClient(1001, 5001, Ack)]);

        PublishAt(s.Micros);

        var share = Assert.Single(_tcp.Latest!.PerNic);
        Assert.Equal((1L, 1L), (share.Counters.ConnectAttempts, share.Counters.ConnectSuccesses));
    }
}
