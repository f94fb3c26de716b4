using System.Runtime.CompilerServices;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Capture.Tcp;
using static RoutingFlow.Capture.Tests.Tcp.Segments;

namespace RoutingFlow.Capture.Tests.Tcp;

public class TcpAnalyzerTests
{
    private readonly Segments _s = new();
    private readonly TcpAnalyzer _tcp = new(new TcpAnalysisOptions());

    private void Feed(params CapturedPacket[] packets) => _tcp.Consume(packets);

    /// <summary>SYN (seq 1000), SYN/ACK (seq 5000), ACK: the client's next is 1001, the server's 5001.</summary>
    private void Handshake(byte clientShift = 7, byte serverShift = 7, long rttMicros = 100) => Feed(
        _s.FromClient(1000, 0, Syn, window: 64240, options: WindowScale(clientShift)),
        _s.FromServer(5000, 1001, Syn | Ack, window: 65160, options: WindowScale(serverShift), after: rttMicros / 2),
        _s.FromClient(1001, 5001, Ack, window: 502, after: rttMicros / 2));

    [Fact]
    public void InOrderTransfer_HasNoEvents_AndTimesTheHandshakeAndTheData()
    {
        Handshake(rttMicros: 2_000);
        Feed(_s.FromClient(1001, 5001, Ack | Psh, payload: 1000), _s.FromClient(2001, 5001, Ack | Psh, payload: 1000),
            _s.FromServer(5001, 3001, after: 3_000));

        var c = _tcp.Counters;
        Assert.Equal((0L, 0L, 0L), (c.Missing, c.Duplicate, c.OutOfOrder));
        Assert.Equal(1, _tcp.HandshakeRtt.Snapshot().Count);
        Assert.Equal(0.002, _tcp.HandshakeRtt.Snapshot().Sum, 6);
        Assert.Equal(0.0031, _tcp.AckRtt.Snapshot().Sum, 6); // the first data segment to the ACK covering it
        Assert.Equal(1, c.FlowsCreated);
    }

    [Fact]
    public void TheClockSteppedBack_DuringAHandshakeAndAnRttSample_NoNegativeTimeIsObserved()
    {
        Handshake(rttMicros: -7_200_000_000); // the frames' (wall-clock) timestamps stepped back two hours mid-handshake
        Feed(_s.FromClient(1001, 5001, Ack | Psh, payload: 1000), _s.FromServer(5001, 2001, after: -1_000_000));

        Assert.Equal(1, _tcp.Counters.ConnectSuccesses);
        Assert.Equal(0, _tcp.HandshakeRtt.Snapshot().Count);
        Assert.Equal(0, _tcp.AckRtt.Snapshot().Count);
    }

    [Fact]
    public void Gap_IsMissing_AndTheLateSegmentThatFillsIt_IsOutOfOrder()
    {
        Handshake();
        Feed(_s.FromClient(1001, 5001, payload: 1000), _s.FromClient(3001, 5001, payload: 1000)); // 2001..3001 not seen
        Assert.Equal(1, _tcp.Counters.Missing);
        Assert.Equal(1000, _tcp.Counters.GapBytes);
        Assert.Equal(1, _tcp.GapBytes.Snapshot().Counts[4]); // 1000 bytes: the 1 KiB bucket (512, 1024]

        Feed(_s.FromClient(2001, 5001, payload: 1000));

        Assert.Equal((1L, 0L), (_tcp.Counters.OutOfOrder, _tcp.Counters.Duplicate));
    }

    [Fact]
    public void SameSegmentTwice_IsADuplicate_AndAPartialRepeatToo()
    {
        Handshake();
        Feed(_s.FromClient(1001, 5001, payload: 1000), _s.FromClient(1001, 5001, payload: 1000));
        Assert.Equal(1, _tcp.Counters.Duplicate);

        Feed(_s.FromClient(1501, 5001, payload: 1000)); // 500 bytes seen, 500 new

        Assert.Equal(2, _tcp.Counters.Duplicate);
        Feed(_s.FromClient(2501, 5001, payload: 10));
        Assert.Equal(0, _tcp.Counters.Missing); // the partial repeat moved the next expected number on
    }

    [Fact]
    public void KeepAlive_IsNotADuplicate()
    {
        Handshake();
        Feed(_s.FromClient(1001, 5001, payload: 100), _s.FromClient(1100, 5001, payload: 1), _s.FromClient(1100, 5001));

        Assert.Equal(0, _tcp.Counters.Duplicate);
        Assert.Equal(2, _tcp.Counters.KeepAlives); // one byte or none, one behind
    }

    [Fact]
    public void ZeroWindow_IsCounted_AndAProbeIsNotADuplicate()
    {
        Handshake();
        Feed(_s.FromClient(1001, 5001, payload: 100), _s.FromServer(5001, 1101, window: 0));
        Feed(_s.FromClient(1101, 5001, payload: 1), _s.FromServer(5001, 1101, window: 0), _s.FromClient(1101, 5001, payload: 1));

        Assert.Equal(2, _tcp.Counters.ZeroWindow);
        Assert.Equal((0L, 0L, 0L), (_tcp.Counters.Duplicate, _tcp.Counters.Missing, _tcp.Counters.OutOfOrder));
        Feed(_s.FromServer(5001, 1101, window: 100), _s.FromClient(1101, 5001, payload: 100));
        Assert.Equal(0, _tcp.Counters.Missing); // the probe did not move the next expected number
    }

    [Fact]
    public void DataFromOneByteBehind_IsNotARetransmission_AsInWireshark()
    {
        Handshake();
        Feed(_s.FromClient(1001, 5001, payload: 100), _s.FromClient(1100, 5001, payload: 500));

        Assert.Equal((0L, 0L, 0L), (_tcp.Counters.Duplicate, _tcp.Counters.KeepAlives, _tcp.Counters.Missing));
        Feed(_s.FromClient(1600, 5001, payload: 10));
        Assert.Equal(0, _tcp.Counters.Missing);
    }

    [Fact]
    public void ZeroWindow_WithFinOrRst_IsNotCounted()
    {
        Handshake();
        Feed(_s.FromServer(5001, 1001, Fin | Ack, window: 0), _s.FromServer(5002, 1001, Rst, window: 0));

        Assert.Equal(0, _tcp.Counters.ZeroWindow);
    }

    [Fact]
    public void WindowShrink_ComparesScaledWindows()
    {
        Handshake(clientShift: 7, serverShift: 2);
        Feed(_s.FromServer(5001, 1001, window: 1000), _s.FromServer(5001, 1001, window: 999), _s.FromServer(5001, 1001, window: 2000));

        Assert.Equal(1, _tcp.Counters.WindowShrink);
        Assert.Equal(((502 << 7) + (2000 << 2)) / 2.0, _tcp.MeanWindow);
    }

    [Fact]
    public void WindowScale_NotOfferedByBothSides_IsNotApplied()
    {
        Feed(_s.FromClient(1000, 0, Syn, options: WindowScale(7)), _s.FromServer(5000, 1001, Syn | Ack),
            _s.FromClient(1001, 5001, window: 502));

        Assert.Equal(502, _tcp.MeanWindow);
    }

    [Fact]
    public void SequenceNumbers_WrapAround()
    {
        var start = uint.MaxValue - 1500;
        Feed(_s.FromClient(start, 0, Syn), _s.FromServer(5000, start + 1, Syn | Ack), _s.FromClient(start + 1, 5001));
        Feed(_s.FromClient(start + 1, 5001, payload: 1000), _s.FromClient(start + 1001, 5001, payload: 1000),
            _s.FromClient(start + 2001, 5001, payload: 1000));

        Assert.Equal((0L, 0L, 0L), (_tcp.Counters.Missing, _tcp.Counters.Duplicate, _tcp.Counters.OutOfOrder));
    }

    [Fact]
    public void SynAndFin_EachTakeOneSequenceNumber_AndTheirRetransmissionsAreDuplicates()
    {
        Feed(_s.FromClient(1000, 0, Syn), _s.FromClient(1000, 0, Syn)); // SYN retransmitted
        Assert.Equal(1, _tcp.Counters.Duplicate);
        Feed(_s.FromServer(5000, 1001, Syn | Ack), _s.FromClient(1001, 5001, Fin | Ack), _s.FromClient(1001, 5001, Fin | Ack));
        Assert.Equal(2, _tcp.Counters.Duplicate);
        Feed(_s.FromClient(1002, 5002));
        Assert.Equal(0, _tcp.Counters.Missing);
    }

    [Fact]
    public void MidStreamCapture_StartsWithoutEvents()
    {
        Feed(_s.FromClient(77_000, 9, payload: 1000), _s.FromServer(9, 78_000), _s.FromClient(78_000, 9, payload: 1000));

        Assert.Equal((0L, 0L), (_tcp.Counters.Missing, _tcp.Counters.Duplicate));
        Assert.Equal(0, _tcp.HandshakeRtt.Snapshot().Count);
    }

    [Fact]
    public void Rst_IsNotSequenceAnalysed()
    {
        Handshake();
        Feed(_s.FromClient(9_999_999, 0, Rst));

        Assert.Equal(0, _tcp.Counters.Missing);
    }

    [Fact]
    public void Publish_ExpiresIdleFlows_SoonerOnceClosed()
    {
        var tcp = new TcpAnalyzer(new TcpAnalysisOptions { IdleTimeout = TimeSpan.FromMinutes(2), ClosedTimeout = TimeSpan.FromSeconds(30) });
        var open = new Segments(clientPort: 1);
        var closed = new Segments(clientPort: 2) { Micros = open.Micros };
        tcp.Consume([open.FromClient(1, 1, payload: 10), closed.FromClient(1, 1, Fin | Ack)]);
        var now = open.Micros;

        tcp.Publish(new PublishTime(now + 31_000_000, 0));
        Assert.Equal(1, tcp.Latest!.ActiveFlows);
        tcp.Publish(new PublishTime(now + 121_000_000, 0));

        Assert.Equal(0, tcp.Latest!.ActiveFlows);
        Assert.Equal(2, tcp.Latest.FlowsExpired);
        Assert.Equal(0, tcp.Latest.Counters.FlowEvictions);
        Assert.Equal(0, tcp.MeanWindow);
    }

    [Fact]
    public void AtTheCap_TheLeastRecentlyActiveFlowIsEvicted()
    {
        var tcp = new TcpAnalyzer(new TcpAnalysisOptions { MaxFlows = 3 });
        var flows = Enumerable.Range(1, 4).Select(p => new Segments(clientPort: (ushort)p)).ToArray();
        tcp.Consume([flows[0].FromClient(1, 1, payload: 1), flows[1].FromClient(1, 1, payload: 1), flows[2].FromClient(1, 1, payload: 1)]);
        flows[0].Micros = flows[2].Micros + 2_000_000; // recency is kept to about a second
        tcp.Consume([flows[0].FromClient(2, 1, payload: 1)]); // flow 1 is now the most recent, flow 2 the least
        flows[3].Micros = flows[0].Micros;
        tcp.Consume([flows[3].FromClient(1, 1, payload: 1)]);

        Assert.Equal(1, tcp.Counters.FlowEvictions);
        Assert.Equal(3, tcp.Flows.Count);
        var ports = tcp.TopFlows(10, FlowSort.Bytes).Select(f => (int)f.ClientPort).Order();
        Assert.Equal([1, 3, 4], ports);
    }

    [Fact]
    public void GlobalScope_AnalysesOnlyFlowsBetweenGlobalAddresses_ButCountsEveryTcpPacket()
    {
        var tcp = new TcpAnalyzer(new TcpAnalysisOptions { Scope = "global" });
        var local = new Segments();
        var global = new Segments("8.8.8.8", "1.1.1.1");
        tcp.Consume([local.FromClient(1, 1, payload: 10), global.FromClient(1, 1, payload: 10), global.FromClient(1, 1, payload: 10)]);

        Assert.Equal((3L, 2L), (tcp.Counters.TcpPackets, tcp.Counters.GlobalTcpPackets));
        Assert.Equal(1, tcp.Flows.Count);
        Assert.Equal(1, tcp.Counters.Duplicate);
    }

    [Fact]
    public void TopFlows_RankByLossThenBytes_AndShowTheClientFirst()
    {
        Handshake();
        Feed(_s.FromClient(1001, 5001, payload: 1000), _s.FromClient(1001, 5001, payload: 1000));
        var other = new Segments(clientPort: 9);
        Feed(other.FromClient(1, 1, payload: 5000));

        var top = _tcp.TopFlows(10, FlowSort.Loss);

        var flow = Assert.Single(top);
        Assert.Equal(("10.0.0.1", 40000, "10.0.0.2", 80), (flow.Client.ToString(), (int)flow.ClientPort, flow.Server.ToString(), (int)flow.ServerPort));
        Assert.Equal(1, flow.Duplicate);
        Assert.NotNull(flow.HandshakeRttSeconds);
        Assert.Equal(2, _tcp.TopFlows(10, FlowSort.Bytes).Count);
    }

    [Fact]
    public void HandshakeFromTheHigherAddress_KeepsTheClientFirst()
    {
        var s = new Segments("10.0.0.9", "10.0.0.2", 50000, 443);
        _tcp.Consume([s.FromClient(1, 0, Syn), s.FromServer(7, 2, Syn | Ack), s.FromClient(2, 8)]);

        var flow = Assert.Single(_tcp.TopFlows(1, FlowSort.Bytes));

        Assert.Equal("10.0.0.9", flow.Client.ToString());
        Assert.Equal(443, flow.ServerPort);
    }

    [Fact]
    public void AFlow_TakesAtMost256BytesWithItsBucket()
    {
        Assert.True(Unsafe.SizeOf<TcpFlow>() + sizeof(int) <= 256, $"{Unsafe.SizeOf<TcpFlow>()} bytes per flow");
    }
}
