using System.Runtime.CompilerServices;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Capture.Connections;

/// <summary>
/// Counts one attached device's frames per connection (ports, direction, protocol) into its own
/// <see cref="ConnectionTable"/> (one writer: the device's capture thread), and the rest (not TCP or UDP, or no ports: later fragments, non-IP) into the device's
/// <c>other</c> counter, so that its totals add up. Direction is the kernel's at the device: egress for frames the
/// device sent — a Linux cooked capture's packet type says so, an Ethernet capture's source MAC being the device's
/// own (<paramref name="deviceMac"/>) — ingress otherwise; on a veth it is inverted, so that it reads from the
/// container's side. (A bridge port forwards frames with other hosts' MACs: it needs the cooked capture.) Each publication expires idle entries and copies the table for readers. One writer.
/// </summary>
public sealed class DeviceConnectionCounter(int deviceId, bool isVeth, ConnectionOptions options, int linkHeaderBytes = 14, ulong deviceMac = 0)
    : IPacketConsumer
{
    private readonly long _idleMicros = (long)options.IdleTimeout.TotalMicroseconds;
    private DeviceTotals _totals;
    private volatile DevicePublication? _latest;
    private volatile bool _resetRequested;

    /// <summary>
    /// Bytes of the device's own link header: a cooked capture replaces it with its own (SLL2: 20 bytes), so a frame's
    /// bytes are counted as the device carried them — 14 for Ethernet, 0 for a device without one (tun).
    /// </summary>
    public int LinkHeaderBytes { get; } = linkHeaderBytes;

    public int DeviceId { get; } = deviceId;

    public bool IsVeth { get; } = isVeth;

    public ConnectionTable Table { get; } = new(options.MaxEntries);

    public DeviceTotals Totals => _totals;

    public DevicePublication? Latest => _latest;

    /// <summary>Asks the capture thread to clear this device's counters at its next batch (the table has one writer).</summary>
    public void RequestReset() => _resetRequested = true;

    public void Consume(ReadOnlySpan<CapturedPacket> batch)
    {
        ApplyPendingReset();
        foreach (ref readonly var item in batch)
            Count(item.Packet, item.TimestampMicros);
    }

    /// <summary>Clears the counters if a reset was asked for; a feeder that calls <see cref="Count"/> itself calls this once per batch.</summary>
    public void ApplyPendingReset()
    {
        if (_resetRequested)
            Reset();
    }

    /// <summary>Counts one frame of this device (the feeder has told the device's frames from the rest).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Count(in DecodedPacket packet, long micros)
    {
        var bytes = packet.WireLength - packet.Link.PayloadOffset + LinkHeaderBytes;
        _totals.Packets++;
        _totals.Bytes += bytes;
        var protocol = packet.Ip.Protocol;
        if (!packet.HasTransport || (protocol != IpProtocol.Tcp && protocol != IpProtocol.Udp))
        {
            _totals.OtherPackets++;
            _totals.OtherBytes += bytes;
            return;
        }
        var sent = packet.Link.PacketType == CookedPacketType.Outgoing
            || (packet.Link.PacketType == CookedPacketType.Unknown && deviceMac != 0 && packet.Link.SourceMac == deviceMac);
        var egress = sent != IsVeth;
        var key = new ConnectionKey(DeviceId, packet.Transport.SourcePort, packet.Transport.DestinationPort,
            egress ? ConnectionDirection.Egress : ConnectionDirection.Ingress, protocol == IpProtocol.Tcp ? ConnectionProtocol.Tcp : ConnectionProtocol.Udp);
        Table.Add(key, bytes, micros);
        _totals.Count(egress, protocol == IpProtocol.Tcp, bytes);
    }

    public void Publish(in PublishTime time)
    {
        ApplyPendingReset();
        Table.ExpireIdle(time.WallMicros - _idleMicros);
        var entries = new List<ConnectionEntry>(Table.Count);
        Table.CopyTo(entries);
        _latest = new DevicePublication(DeviceId, _totals, entries, Table.Evictions, Table.Expired, Resets);
    }

    /// <summary>How many times the counters were cleared.</summary>
    public int Resets { get; private set; }

    /// <summary>
    /// For a device the kernel counts (the eBPF backend): true once when a reset was asked for since the last call;
    /// the caller clears the kernel's counters and publishes with <see cref="PublishCounted"/>.
    /// </summary>
    public bool TakeResetRequest()
    {
        if (!_resetRequested)
            return false;
        _resetRequested = false;
        Resets++;
        return true;
    }

    /// <summary>Publishes counts made elsewhere (the kernel's maps) instead of frames this counter saw.</summary>
    public void PublishCounted(in DeviceTotals totals, IReadOnlyList<ConnectionEntry> entries, long evictions, long expired)
    {
        _totals = totals;
        _latest = new DevicePublication(DeviceId, totals, entries, evictions, expired, Resets);
    }

    private void Reset()
    {
        _resetRequested = false;
        Table.RemoveDevice(DeviceId);
        _totals = default;
        Resets++;
    }
}

/// <summary>
/// A device's frame totals since it was attached (or reset): all of them, those counted under <c>other</c>, and the
/// TCP and UDP ones by direction — cumulative, unlike the table, whose entries expire and are evicted.
/// </summary>
public struct DeviceTotals
{
    public long Packets;
    public long Bytes;
    public long OtherPackets;
    public long OtherBytes;
    public long TcpIngressPackets;
    public long TcpIngressBytes;
    public long TcpEgressPackets;
    public long TcpEgressBytes;
    public long UdpIngressPackets;
    public long UdpIngressBytes;
    public long UdpEgressPackets;
    public long UdpEgressBytes;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Count(bool egress, bool tcp, int bytes)
    {
        switch (tcp, egress)
        {
            case (true, false): TcpIngressPackets++; TcpIngressBytes += bytes; break;
            case (true, true): TcpEgressPackets++; TcpEgressBytes += bytes; break;
            case (false, false): UdpIngressPackets++; UdpIngressBytes += bytes; break;
            default: UdpEgressPackets++; UdpEgressBytes += bytes; break;
        }
    }
}

/// <summary>What a device's counter hands readers once a second.</summary>
public sealed record DevicePublication(int DeviceId, DeviceTotals Totals, IReadOnlyList<ConnectionEntry> Entries, long Evictions, long Expired, int Resets);
