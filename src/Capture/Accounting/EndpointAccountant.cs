using System.Runtime.CompilerServices;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Capture.Accounting;

/// <summary>
/// Counts every IP endpoint the way tshark's <c>-z endpoints,ip</c> does: the source's tx and the destination's rx
/// grow by one frame of its wire length. Used offline, where every address is kept regardless of WAN.
/// </summary>
public sealed class EndpointAccountant(int maxEndpoints) : IPacketConsumer
{
    /// <summary>How many frames ahead a batch prefetches the table slots (covers one memory latency).</summary>
    private const int PrefetchDistance = 8;
    private DecodeCounters _counters;

    public TrafficTable Table { get; } = new(maxEndpoints);

    public DecodeCounters Counters => _counters;

    public void Account(int linkType, ReadOnlySpan<byte> frame, int wireLength, long timestampMicros)
    {
        PacketDecoder.Decode(linkType, frame, wireLength, out var packet);
        Prefetch(packet);
        Account(packet, timestampMicros);
    }

    /// <summary>
    /// Accounts a batch, prefetching the slots of the frame <see cref="PrefetchDistance"/> ahead so that the
    /// table's cache misses overlap instead of following one another.
    /// </summary>
    public void Account(ReadOnlySpan<CapturedPacket> batch)
    {
        for (var i = 0; i < batch.Length && i < PrefetchDistance; i++)
            Prefetch(batch[i].Packet);
        for (var i = 0; i < batch.Length; i++)
        {
            if (i + PrefetchDistance < batch.Length)
                Prefetch(batch[i + PrefetchDistance].Packet);
            Account(batch[i].Packet, batch[i].TimestampMicros);
        }
    }

    void IPacketConsumer.Consume(ReadOnlySpan<CapturedPacket> batch) => Account(batch);

    /// <summary>Nothing to publish: the offline report reads <see cref="Table"/> when the file is done.</summary>
    void IPacketConsumer.Publish(in PublishTime time)
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Prefetch(in DecodedPacket packet)
    {
        if (!packet.HasIp)
            return;
        Table.Prefetch(new TrafficKey(packet.Ip.Source, TrafficKey.NoNic));
        Table.Prefetch(new TrafficKey(packet.Ip.Destination, TrafficKey.NoNic));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Account(in DecodedPacket packet, long timestampMicros)
    {
        _counters.Count(packet.Status, packet.WireLength);
        if (!packet.HasIp)
            return;
        Table.AddTx(new TrafficKey(packet.Ip.Source, TrafficKey.NoNic), packet.WireLength, timestampMicros);
        Table.AddRx(new TrafficKey(packet.Ip.Destination, TrafficKey.NoNic), packet.WireLength, timestampMicros);
    }
}
