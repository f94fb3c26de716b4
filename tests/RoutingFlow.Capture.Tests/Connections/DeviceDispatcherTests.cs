using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Connections;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Testing.Frames;

namespace RoutingFlow.Capture.Tests.Connections;

public class DeviceDispatcherTests
{
    /// <summary>A frame of the <c>any</c> device as SLL2: its ifindex and packet type (4: sent by that device).</summary>
    private static CapturedPacket Frame(int ifIndex, bool outgoing, ushort sourcePort = 40000)
    {
        var frame = FrameBuilder.Sll2(FrameBuilder.Tcp("10.0.0.1", "10.0.0.2", sourcePort, 80), ifIndex, outgoing ? (byte)4 : (byte)0);
        var item = new CapturedPacket { TimestampMicros = 1 };
        PacketDecoder.Decode(LinkType.LinuxSll2, frame, frame.Length, out item.Packet);
        return item;
    }

    [Fact]
    public void Frames_GoToTheirDevicesCounter_ByIfindex_WithTheKernelsDirection()
    {
        var a = new DeviceConnectionCounter(3, isVeth: false, new ConnectionOptions());
        var b = new DeviceConnectionCounter(7, isVeth: true, new ConnectionOptions());
        var dispatcher = new DeviceDispatcher([a, b]);

        dispatcher.Consume([Frame(3, outgoing: true), Frame(7, outgoing: true), Frame(7, outgoing: false), Frame(9, outgoing: true)]);
        dispatcher.Publish(new PublishTime(2, 2));

        Assert.Equal(ConnectionDirection.Egress, Assert.Single(a.Latest!.Entries).Key.Direction);
        Assert.Equal([ConnectionDirection.Ingress, ConnectionDirection.Egress], b.Latest!.Entries.Select(e => e.Key.Direction).Order()); // inverted: a veth
        Assert.All(b.Latest.Entries, e => Assert.Equal(7, e.Key.DeviceId));
        Assert.Equal(1, dispatcher.Unattributed); // ifindex 9 is not attached
    }

    [Fact]
    public void KernelFilter_PassesExactlyTheAttachedIfindexes()
    {
        Assert.Equal("ifindex 3 or ifindex 12", new DeviceDispatcher([new DeviceConnectionCounter(12, false, new()), new DeviceConnectionCounter(3, false, new())]).Filter);
        Assert.Equal("ifindex 0", new DeviceDispatcher([]).Filter); // no interface has ifindex 0: nothing passes
    }

    [Fact]
    public void RequestReset_IsAppliedAtTheNextBatch()
    {
        var counter = new DeviceConnectionCounter(3, isVeth: false, new ConnectionOptions());
        var dispatcher = new DeviceDispatcher([counter]);
        dispatcher.Consume([Frame(3, true)]);

        counter.RequestReset();
        dispatcher.Consume([Frame(3, true, sourcePort: 40001)]);
        dispatcher.Publish(new PublishTime(2, 2));

        Assert.Equal(40001, Assert.Single(counter.Latest!.Entries).Key.SourcePort);
        Assert.Equal(1, counter.Latest.Resets);
    }

    [Fact]
    public void Consume_WarmTables_AllocatesZeroBytes()
    {
        var batch = Enumerable.Range(0, 2_048).Select(i => Frame(i % 3 == 0 ? 3 : 7, i % 2 == 0, (ushort)(1000 + (i % 500)))).ToArray();
        var dispatcher = new DeviceDispatcher([new DeviceConnectionCounter(3, false, new()), new DeviceConnectionCounter(7, true, new())]);
        for (var round = 0; round < 3; round++)
            dispatcher.Consume(batch); // warm: tables grown, code tiered

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 20; round++)
            dispatcher.Consume(batch);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(23 * 2_048, dispatcher.Counters.Sum(c => c.Totals.Packets));
    }
}
