using System.Runtime.CompilerServices;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Capture.Connections;

/// <summary>
/// Counts one attached device's frames per connection (ports, direction, protocol) into its own
/// <see cref="ConnectionTable"/> (one writer: the device's capture thread), and the rest (not TCP or UDP, or no ports: later fragments, non-IP) into the device's
/// <c>other</c> counter, so that its totals add up. Direction is the kernel's at the device: the capture's packet type
/// (a Linux cooked capture says which frames the device sent); on a veth it is inverted, so that it reads from the
/// container's side. Each publication expires idle entries and copies the table for readers. One writer.
/// </summary>
public sealed class DeviceConnectionCounter(int deviceId, bool isVeth, ConnectionOptions options) : IPacketConsumer
{
    private readonly long _idleMicros = (long)options.IdleTimeout.TotalMicroseconds;
    private DeviceTotals _totals;
    private volatile DevicePublication? _latest;

    public int DeviceId { get; } = deviceId;

    public bool IsVeth { get; } = isVeth;

    public ConnectionTable Table { get; } = new(options.MaxEntries);

    public DeviceTotals Totals => _totals;

    public DevicePublication? Latest => _latest;

    public void Consume(ReadOnlySpan<CapturedPacket> batch)
    {
        foreach (ref readonly var item in batch)
            Count(item.Packet, item.TimestampMicros);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Count(in DecodedPacket packet, long micros)
    {
        _totals.Packets++;
        _totals.Bytes += packet.WireLength;
        var protocol = packet.Ip.Protocol;
        if (!packet.HasTransport || (protocol != IpProtocol.Tcp && protocol != IpProtocol.Udp))
        {
            _totals.OtherPackets++;
            _totals.OtherBytes += packet.WireLength;
            return;
        }
        var egress = (packet.Link.PacketType == CookedPacketType.Outgoing) != IsVeth;
        var key = new ConnectionKey(DeviceId, packet.Transport.SourcePort, packet.Transport.DestinationPort,
            egress ? ConnectionDirection.Egress : ConnectionDirection.Ingress, protocol == IpProtocol.Tcp ? ConnectionProtocol.Tcp : ConnectionProtocol.Udp);
        Table.Add(key, packet.WireLength, micros);
    }

    public void Publish(in PublishTime time)
    {
        Table.ExpireIdle(time.WallMicros - _idleMicros);
        var entries = new List<ConnectionEntry>(Table.Count);
        Table.CopyTo(entries);
        _latest = new DevicePublication(DeviceId, _totals, entries, Table.Evictions, Table.Expired);
    }
}

/// <summary>A device's frame totals: all of them, and those counted under <c>other</c>.</summary>
public struct DeviceTotals
{
    public long Packets;
    public long Bytes;
    public long OtherPackets;
    public long OtherBytes;
}

/// <summary>What a device's counter hands readers once a second.</summary>
public sealed record DevicePublication(int DeviceId, DeviceTotals Totals, IReadOnlyList<ConnectionEntry> Entries, long Evictions, long Expired);
