using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Protocols;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Testing.Frames;

namespace RoutingFlow.Capture.Tests.Protocols;

public class ProtocolAnalyzerTests
{
    private readonly ProtocolAnalyzer _protocols = new();

    private static CapturedPacket Raw(byte[] ip, long micros)
    {
        var item = new CapturedPacket { TimestampMicros = micros };
        PacketDecoder.Decode(LinkType.Raw, ip, ip.Length, out item.Packet);
        return item;
    }

    private ProtocolSnapshot PublishAt(long micros)
    {
        _protocols.Publish(new PublishTime(micros, micros));
        return _protocols.Latest!;
    }

    [Fact]
    public void DnsReader_ReadsTheHeaderAndTheQuestionType()
    {
        Assert.True(DnsReader.TryRead(DnsMessages.Message(0x1234, response: true, "www.example.com", type: 28, rcode: 3), out var dns));
        Assert.Equal(new DnsHeader(0x1234, true, 0, 3, 1, 0, 28), dns);
        Assert.False(DnsReader.TryRead(new byte[11], out _));
        Assert.True(DnsReader.TryRead(DnsMessages.Message(1, false, new string('x', 60), 1).AsSpan(0, 40), out var cut));
        Assert.Equal(0, cut.QuestionType); // the name runs past what was captured
    }

    [Fact]
    public void Queries_AreMatchedToTheirResponses_ByIdAndTuple_ForLatency()
    {
        _protocols.Consume([
            Raw(DnsMessages.Query("192.168.50.10", "192.0.2.100", 40000, 7), 1_000_000),
            Raw(DnsMessages.Query("192.168.50.10", "192.0.2.100", 40000, 7), 1_500_000), // retransmitted: timed from the first
            Raw(DnsMessages.Query("192.168.50.10", "192.0.2.100", 40001, 7, "nx.lab.test"), 1_100_000),
            Raw(DnsMessages.Response("192.0.2.100", "192.168.50.10", 40001, 7, "nx.lab.test", rcode: 3), 1_103_000),
            Raw(DnsMessages.Response("192.0.2.100", "192.168.50.10", 40000, 7), 1_600_000),
            Raw(DnsMessages.Response("192.0.2.100", "192.168.50.10", 40009, 9), 1_700_000), // no query
        ]);

        var p = PublishAt(2_000_000);

        Assert.Equal((3L, 3L, 1L), (p.Dns.Queries, p.Dns.Responses, p.Dns.Unmatched));
        Assert.Equal(2, p.DnsLatency.Count);
        Assert.Equal((0.003 + 0.6) / 2, p.DnsLatency.Mean!.Value, 9);
        Assert.Contains(new DnsRcodeCount("NXDOMAIN", 1), p.DnsRcodes);
        Assert.Contains(new DnsTypeCount("A", 3, 3), p.DnsTypes);
        Assert.Equal(6, Assert.Single(p.Mix, m => m.Protocol == "dns").Packets);
    }

    [Fact]
    public void AQueryWithNoResponseWithinFiveSeconds_IsUnanswered()
    {
        _protocols.Consume([Raw(DnsMessages.Query("10.0.0.1", "10.0.0.53", 41000, 1), 1_000_000)]);

        Assert.Equal((0L, 1), (PublishAt(5_999_999).Dns.Unanswered, PublishAt(5_999_999).DnsPending));
        Assert.Equal((1L, 0), (PublishAt(6_000_000).Dns.Unanswered, PublishAt(6_000_000).DnsPending));
    }

    [Fact]
    public void NotDns_OnPort53_IsMalformed_AndErrorsAreCounted()
    {
        var rst = RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Tcp, RawIp.Tcp(1, 2, flags: 0x04));
        var unreachable = RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Icmp, [3, 3, 0, 0, 0, 0, 0, 0]);
        var timeExceeded = RawIp.Ipv6("fd00::1", "fd00::2", IpProtocol.Icmpv6, [3, 0, 0, 0, 0, 0, 0, 0]);
        _protocols.Consume([Raw(FrameBuilder.Udp("10.0.0.1", "10.0.0.2", 5000, 53, payload: 5), 1), Raw(rst, 2), Raw(unreachable, 3), Raw(timeExceeded, 4)]);

        var p = PublishAt(10);

        Assert.Equal(1, p.Dns.Malformed);
        Assert.Equal((1L, 1L, 1L), (p.Errors.TcpResets, p.Errors.IcmpUnreachable, p.Errors.IcmpTimeExceeded));
    }

    [Fact]
    public void Consume_Warm_AllocatesNothing()
    {
        var batch = Enumerable.Range(0, 512).Select(i => i % 2 == 0
            ? Raw(DnsMessages.Query("10.0.0.1", "10.0.0.53", (ushort)(30000 + (i / 2 % 200)), (ushort)i), i)
            : Raw(DnsMessages.Response("10.0.0.53", "10.0.0.1", (ushort)(30000 + (i / 2 % 200)), (ushort)(i - 1)), i)).ToArray();
        for (var round = 0; round < 3; round++)
        {
            _protocols.Consume(batch);
            _protocols.Publish(new PublishTime(100_000_000L * (round + 1), 0)); // every query older than the DNS timeout leaves the queue
        }

        long allocated = 0;
        for (var round = 3; round < 23; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            _protocols.Consume(batch);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            _protocols.Publish(new PublishTime(100_000_000L * (round + 1), 0)); // a publication's copy is not the packet path
        }

        Assert.Equal(0, allocated);
    }
}
