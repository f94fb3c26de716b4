using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Connections;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Testing.Frames;

namespace RoutingFlow.Capture.Tests.Connections;

public class DeviceConnectionCounterTests
{
    /// <summary>A frame as a Linux cooked (SLL2) capture of device 7 hands it over: packet type 4 is "sent by this device".</summary>
    private static CapturedPacket Frame(byte[] ip, bool outgoing, long micros = 1)
    {
        var frame = FrameBuilder.Sll2(ip, ifIndex: 7, packetType: outgoing ? (byte)4 : (byte)0);
        var item = new CapturedPacket { TimestampMicros = micros };
        PacketDecoder.Decode(LinkType.LinuxSll2, frame, frame.Length, out item.Packet);
        return item;
    }

    private static List<ConnectionEntry> Entries(DeviceConnectionCounter counter)
    {
        counter.Publish(new PublishTime(2, 2));
        return [.. counter.Latest!.Entries];
    }

    [Fact]
    public void Frames_AreCountedPerPortsDirectionAndProtocol_WithWireBytes()
    {
        var counter = new DeviceConnectionCounter(7, isVeth: false, new ConnectionOptions());
        var tcp = FrameBuilder.Tcp("10.0.0.1", "10.0.0.2", 40000, 80, payload: 100);
        var udp = FrameBuilder.Udp("10.0.0.1", "10.0.0.2", 5000, 53);
        counter.Consume([Frame(tcp, outgoing: true), Frame(tcp, outgoing: true), Frame(tcp, outgoing: false), Frame(udp, outgoing: false)]);

        var entries = Entries(counter);

        Assert.Equal(3, entries.Count);
        var egress = entries.Single(e => e.Key == new ConnectionKey(7, 40000, 80, ConnectionDirection.Egress, ConnectionProtocol.Tcp));
        Assert.Equal((2L, 2L * (14 + tcp.Length)), (egress.Packets, egress.Bytes)); // as the Ethernet device carried it, not with the SLL2 header
        Assert.Contains(entries, e => e.Key == new ConnectionKey(7, 5000, 53, ConnectionDirection.Ingress, ConnectionProtocol.Udp));
    }

    [Fact]
    public void OnAVeth_DirectionIsInverted_ToReadFromTheContainersSide()
    {
        var counter = new DeviceConnectionCounter(7, isVeth: true, new ConnectionOptions());
        counter.Consume([Frame(FrameBuilder.Tcp("10.0.0.1", "10.0.0.2", 40000, 80), outgoing: true)]);

        Assert.Equal(ConnectionDirection.Ingress, Assert.Single(Entries(counter)).Key.Direction);
    }

    [Fact]
    public void OtherProtocols_AddToTheDevicesOtherCounter_SoTotalsAddUp()
    {
        var counter = new DeviceConnectionCounter(7, isVeth: false, new ConnectionOptions());
        var icmp = RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Icmp, [8, 0, 0, 0, 0, 1, 0, 1]);
        var fragment = RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Udp, new byte[40], fragmentOffset8: 185);
        counter.Consume([Frame(icmp, false), Frame(fragment, false), Frame(FrameBuilder.Udp("10.0.0.1", "10.0.0.2"), false)]);

        var entries = Entries(counter);
        var totals = counter.Latest!.Totals;

        Assert.Equal((3L, 2L), (totals.Packets, totals.OtherPackets));
        Assert.Equal(totals.Bytes, totals.OtherBytes + entries.Sum(e => e.Bytes));
    }

    [Fact]
    public void Publish_ExpiresEntriesIdleLongerThanTheTimeout()
    {
        var counter = new DeviceConnectionCounter(7, isVeth: false, new ConnectionOptions { IdleTimeout = TimeSpan.FromMinutes(10) });
        counter.Consume([Frame(FrameBuilder.Udp("10.0.0.1", "10.0.0.2"), false, micros: 1_000_000)]);

        counter.Publish(new PublishTime(1_000_000 + 601_000_000, 0));

        Assert.Empty(counter.Latest!.Entries);
        Assert.Equal(1, counter.Latest.Expired);
    }

    [Fact]
    public void Consume_WarmTable_AllocatesZeroBytes()
    {
        var batch = Enumerable.Range(0, 2_048).Select(i => Frame(FrameBuilder.Udp("10.0.0.1", "10.0.0.2", (ushort)(1000 + (i % 500)), 53), i % 2 == 0, i)).ToArray();
        var counter = new DeviceConnectionCounter(7, isVeth: false, new ConnectionOptions());
        counter.Consume(batch);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 20; round++)
            counter.Consume(batch);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(21 * 2_048, counter.Totals.Packets);
    }

    [Fact]
    public void RequestReset_ClearsTheCountersOnTheCaptureThread()
    {
        var counter = new DeviceConnectionCounter(7, isVeth: false, new ConnectionOptions());
        counter.Consume([Frame(FrameBuilder.Udp("10.0.0.1", "10.0.0.2"), false)]);

        counter.RequestReset();
        counter.Publish(new PublishTime(2, 2));

        Assert.Empty(counter.Latest!.Entries);
        Assert.Equal((0L, 1), (counter.Latest.Totals.Packets, counter.Latest.Resets));
    }

    [Fact]
    public void OnAnEthernetCapture_TheDevicesOwnSourceMacMeansEgress()
    {
        var device = FrameBuilder.MacA;
        var mac = EthernetReader.Mac(device.GetAddressBytes());
        var counter = new DeviceConnectionCounter(7, isVeth: false, new ConnectionOptions(), deviceMac: mac);
        var ip = FrameBuilder.Udp("10.0.0.1", "10.0.0.2", 5000, 53);
        var sent = FrameBuilder.Ethernet(ip); // FrameBuilder's frames come from MacA
        var received = (byte[])sent.Clone();
        Array.Copy(FrameBuilder.MacB.GetAddressBytes(), 0, received, 6, 6);
        var batch = new CapturedPacket[2];
        PacketDecoder.Decode(LinkType.Ethernet, sent, sent.Length, out batch[0].Packet);
        PacketDecoder.Decode(LinkType.Ethernet, received, received.Length, out batch[1].Packet);

        counter.Consume(batch);

        var entries = Entries(counter);
        Assert.Equal([ConnectionDirection.Ingress, ConnectionDirection.Egress], entries.Select(e => e.Key.Direction).Order());
        Assert.All(entries, e => Assert.Equal(sent.Length, e.Bytes));
    }
}
