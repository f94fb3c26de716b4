using RoutingFlow.Capture.Decoding;

namespace RoutingFlow.Capture.Accounting;

/// <summary>
/// Counts every IP endpoint the way tshark's <c>-z endpoints,ip</c> does: the source's tx and the destination's rx
/// grow by one frame of its wire length. Used offline, where every address is kept regardless of WAN.
/// </summary>
public sealed class EndpointAccountant(int maxEndpoints)
{
    private DecodeCounters _counters;

    public TrafficTable Table { get; } = new(maxEndpoints, initialEntries: Math.Min(maxEndpoints, 4096));

    public DecodeCounters Counters => _counters;

    public void Account(int linkType, ReadOnlySpan<byte> frame, int wireLength, long timestampMicros)
    {
        PacketDecoder.Decode(linkType, frame, wireLength, out var packet);
        _counters.Count(packet.Status, packet.WireLength);
        if (!packet.HasIp)
            return;
        var source = new TrafficKey(packet.Ip.Source, TrafficKey.NoNic);
        var destination = new TrafficKey(packet.Ip.Destination, TrafficKey.NoNic);
        Table.Prefetch(source);
        Table.Prefetch(destination);
        Table.AddTx(source, packet.WireLength, timestampMicros);
        Table.AddRx(destination, packet.WireLength, timestampMicros);
    }
}
