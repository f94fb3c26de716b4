using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Capture.Tcp;
using RoutingFlow.Testing.Frames;

namespace RoutingFlow.Capture.Tests.Decoding;

/// <summary>One million random and mutated frames through the decoder, the TCP analysis and the protocol inspection: none may throw, bad DNS is counted.</summary>
public class PacketDecoderFuzzTests
{
    private static readonly int[] LinkTypes =
        [LinkType.Ethernet, LinkType.LinuxSll, LinkType.LinuxSll2, LinkType.Raw, LinkType.Null, LinkType.Loop, LinkType.Ipv6, 147];

    [Fact]
    public void Decode_MillionRandomAndMutatedFrames_NeverThrows()
    {
        var random = new Random(20261123);
        var seeds = SeedFrames();
        var buffer = new byte[256];
        var statuses = new long[5];
        var tcp = new TcpAnalyzer(new TcpAnalysisOptions { MaxFlows = 4_096 });
        var protocols = new RoutingFlow.Capture.Protocols.ProtocolAnalyzer(names: new RoutingFlow.Capture.Protocols.NameCache(1_024));
        var batch = new CapturedPacket[1];
        for (var i = 0; i < 1_000_000; i++)
        {
            var (linkType, length) = i % 2 == 0 ? RandomFrame(random, buffer) : MutatedFrame(random, seeds, buffer);
            var wire = random.Next(4) == 0 ? length + random.Next(2000) : length;
            var status = PacketDecoder.Decode(linkType, buffer.AsSpan(0, length), wire, out batch[0].Packet);
            batch[0].TimestampMicros = i;
            tcp.Consume(batch);
            protocols.Consume(batch);
            statuses[(int)status]++;
        }
        tcp.Publish(new PublishTime(1_000_000, 1_000_000));
        protocols.Publish(new PublishTime(1_000_000, 1_000_000));
        var dns = protocols.Latest!.Dns;
        Assert.True(dns.Queries + dns.Responses > 1_000 && dns.Malformed > 1_000, $"{dns.Queries} queries, {dns.Responses} responses, {dns.Malformed} malformed");
        var app = protocols.Latest.App;
        Assert.True(app.ClientHellos > 1_000 && app.ServerHellos > 1_000 && app.HttpRequests > 1_000 && app.HttpResponses > 1_000 && app.TlsMalformed > 100, app.ToString());
        Assert.True(protocols.Names!.Counters.Learned > 1_000, protocols.Names.Counters.ToString());
        Assert.Equal(1_000_000, statuses.Sum());
        Assert.All(statuses[..4], count => Assert.True(count > 0)); // every outcome was reached
        Assert.Equal(1_000_000, tcp.Counters.TotalPackets);
        Assert.True(tcp.Counters.TcpPackets > 100_000 && tcp.Counters.Malformed > 1_000, $"{tcp.Counters.TcpPackets} TCP, {tcp.Counters.Malformed} malformed");
        Assert.True(tcp.Counters.FlowEvictions > 0); // mutated ports and addresses fill the table past its cap
    }

    private static (int, int) RandomFrame(Random random, byte[] buffer)
    {
        var length = random.Next(buffer.Length);
        random.NextBytes(buffer.AsSpan(0, length));
        if (length > 20 && random.Next(2) == 0)
            buffer[random.Next(2) == 0 ? 0 : 14] = (byte)(random.Next(2) == 0 ? 0x45 : 0x60);
        return (LinkTypes[random.Next(LinkTypes.Length)], length);
    }

    private static (int, int) MutatedFrame(Random random, (int LinkType, byte[] Frame)[] seeds, byte[] buffer)
    {
        var (linkType, frame) = seeds[random.Next(seeds.Length)];
        var length = Math.Min(frame.Length, buffer.Length);
        frame.AsSpan(0, length).CopyTo(buffer);
        for (var flips = random.Next(1, 4); flips > 0; flips--)
            buffer[random.Next(length)] = (byte)random.Next(256);
        return (linkType, random.Next(3) == 0 ? random.Next(length + 1) : length);
    }

    private static (int, byte[])[] SeedFrames() =>
    [
        (LinkType.Ethernet, FrameBuilder.Ethernet(FrameBuilder.Tcp("10.0.0.1", "10.0.0.2", payload: 30))),
        (LinkType.Ethernet, FrameBuilder.Ethernet(FrameBuilder.Udp("fd00::1", "fd00::2"), (0x88A8, 5), (0x8100, 6))),
        (LinkType.Ethernet, FrameBuilder.Pppoe(FrameBuilder.Tcp("10.0.0.1", "10.0.0.2"))),
        (LinkType.Raw, DnsMessages.Query("10.0.0.1", "10.0.0.53", 40000, 7, "www.example.com", 28)),
        (LinkType.Raw, DnsMessages.Response("10.0.0.53", "10.0.0.1", 40000, 7, "www.example.com", 28, rcode: 3)),
        (LinkType.Raw, FrameBuilder.Ip("10.0.0.53", "10.0.0.1", new PacketDotNet.UdpPacket(53, 40000) { PayloadData = DnsMessages.Answer(7, "a.example.com", ("192.0.2.1", 60), ("192.0.2.2", 60)) })),
        (LinkType.Raw, AppMessages.Segment("10.0.0.1", "10.0.0.2", 40000, 443, AppMessages.ClientHello("a.example.com", [0x0304, 0x0303]))),
        (LinkType.Raw, AppMessages.Segment("10.0.0.2", "10.0.0.1", 443, 40000, AppMessages.ServerHello(0x0304))),
        (LinkType.Raw, AppMessages.Segment("10.0.0.1", "10.0.0.2", 40001, 80, AppMessages.Text("GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n"))),
        (LinkType.Raw, AppMessages.Segment("10.0.0.2", "10.0.0.1", 80, 40001, AppMessages.Text("HTTP/1.1 200 OK\r\n\r\n"))),
        (LinkType.LinuxSll, FrameBuilder.Sll(FrameBuilder.Tcp("fd00::1", "fd00::2"))),
        (LinkType.LinuxSll2, FrameBuilder.Sll2(FrameBuilder.Udp("10.0.0.1", "10.0.0.2"))),
        (LinkType.Raw, RawIp.Ipv6("fd00::1", "fd00::2", IpProtocol.Tcp, RawIp.Tcp(1, 2, payload: 4),
            Extension.HopByHop(1), Extension.Routing(), Extension.Fragment(0), Extension.DestinationOptions())),
        (LinkType.Raw, RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Tcp, RawIp.Tcp(1, 2, dataOffsetWords: 8), optionWords: 2)),
        (LinkType.Raw, RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Tcp, RawIp.Tcp(1, 2, flags: 0x02,
            options: [2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7]))),
        (LinkType.Raw, RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Tcp, RawIp.Tcp(1, 2, payload: 20,
            options: [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1, 5, 18, 0, 0, 0, 9, 0, 0, 0, 19, 0, 0, 1, 0, 0, 0, 2, 0]))),
    ];
}
