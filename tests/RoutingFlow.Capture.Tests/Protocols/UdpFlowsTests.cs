using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Protocols;
using RoutingFlow.Testing.Frames;

namespace RoutingFlow.Capture.Tests.Protocols;

public class UdpFlowsTests
{
    private static DecodedPacket Udp(string src, string dst, ushort sport, ushort dport)
    {
        var ip = FrameBuilder.Udp(src, dst, sport, dport);
        PacketDecoder.Decode(LinkType.Raw, ip, ip.Length, out var packet);
        return packet;
    }

    [Fact]
    public void AFirstPacket_StartsAFlow_AReplyAnswersIt_IdleOnesExpire()
    {
        var udp = new UdpFlows();
        udp.Count(Udp("10.0.0.1", "10.0.0.2", 5000, 53), 1);
        udp.Count(Udp("10.0.0.1", "10.0.0.2", 5000, 53), 2); // the same flow
        udp.Count(Udp("10.0.0.2", "10.0.0.1", 53, 5000), 3); // answered
        udp.Count(Udp("10.0.0.1", "10.0.0.9", 5001, 123), 4); // never answered

        var c = udp.Counters;
        Assert.Equal((2L, 1L, 0L, 2), (c.Flows, c.Answered, c.Unanswered, c.Active));

        udp.Expire(4 + UdpFlows.IdleMicros);
        c = udp.Counters;
        Assert.Equal((1L, 0), (c.Unanswered, c.Active));
    }

    [Fact]
    public void Count_WarmTable_AllocatesNothing()
    {
        var udp = new UdpFlows();
        var packets = Enumerable.Range(0, 500).Select(i => Udp("10.0.0.1", "10.0.0.2", (ushort)(10_000 + i), 53)).ToArray();
        foreach (var p in packets)
            udp.Count(p, 1);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 20; round++)
        {
            foreach (var p in packets)
                udp.Count(p, 2);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
