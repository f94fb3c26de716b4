using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Conntrack;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Capture.Accounting;

/// <summary>
/// Live accounting for one capture: per (WAN, local IP) tx/rx counters. On a <c>wan</c> interface every local
/// endpoint belongs to that interface's WAN; on a <c>lan</c> interface a local IP's traffic to a non-local address
/// belongs to the WAN the mapping names (traffic between two local addresses is not WAN traffic).
/// With connection tracking (<paramref name="connections"/>), a packet of a tracked TCP/UDP connection is counted
/// on its connection's WAN (<c>lan</c>) and on the LAN host behind the NAT (<c>wan</c>), and every packet's
/// attribution source is counted per WAN.
/// Each publication evicts addresses idle for <c>idleTimeout</c> and copies the table into <see cref="Latest"/>.
/// With <paramref name="countHosts"/> false (the kernel counts the hosts: the eBPF backend) frames are only decoded
/// and counted, and the table is fed from elsewhere on the same thread. One writer: the capture thread.
/// </summary>
public sealed class WanAccountant(CaptureRole role, byte wanNic, IpClassifier classifier, NicMapHolder mapping, int maxTrackedIps,
    TimeSpan? idleTimeout = null, ConnectionAttribution? connections = null, bool countHosts = true) : IPacketConsumer
{
    private const int PrefetchDistance = 8;
    private readonly long _idleMicros = (long)(idleTimeout ?? CaptureOptions.DefaultIdleTimeout).TotalMicroseconds;
    private readonly AttributionCounts _sources = new(mapping.Current.Nics.Count);
    private DecodeCounters _counters;
    private volatile TrafficPublication? _latest;

    public TrafficTable Table { get; } = new(maxTrackedIps, headroom: maxTrackedIps / 8);

    public DecodeCounters Counters => _counters;

    /// <summary>The last publication, or null before the first.</summary>
    public TrafficPublication? Latest => _latest;

    public void Account(int linkType, ReadOnlySpan<byte> frame, int wireLength, long timestampMicros)
    {
        PacketDecoder.Decode(linkType, frame, wireLength, out var packet);
        Account(packet, timestampMicros);
    }

    /// <summary>Accounts a batch of frames decoded by <see cref="PcapBatchReader"/>.</summary>
    public void Account(ReadOnlySpan<CapturedPacket> batch)
    {
        if (connections is null)
        {
            foreach (ref readonly var item in batch)
                Account(item.Packet, item.TimestampMicros);
            return;
        }
        // The connection cache is large: load the slot of the frame a few ahead so that the misses overlap.
        for (var i = 0; i < batch.Length && i < PrefetchDistance; i++)
            connections.Prefetch(batch[i].Packet);
        for (var i = 0; i < batch.Length; i++)
        {
            if (i + PrefetchDistance < batch.Length)
                connections.Prefetch(batch[i + PrefetchDistance].Packet);
            Account(batch[i].Packet, batch[i].TimestampMicros);
        }
    }

    void IPacketConsumer.Consume(ReadOnlySpan<CapturedPacket> batch) => Account(batch);

    public void Publish(in PublishTime time)
    {
        var overflows = Table.Overflows;
        var entries = Table.EvictAndCopy(time.WallMicros - _idleMicros);
        _latest = new TrafficPublication(time.MonotonicMicros, entries, _counters, Table.Evictions, overflows, _sources.Copy());
    }

    private void Account(in DecodedPacket packet, long timestampMicros)
    {
        _counters.Count(packet.Status, packet.WireLength);
        if (!packet.HasIp || !countHosts)
            return;
        var map = mapping.Current;
        classifier.Classify(packet.Ip.Source, map, out var srcLocal, out var srcNic);
        classifier.Classify(packet.Ip.Destination, map, out var dstLocal, out var dstNic);
        if (role == CaptureRole.Lan && srcLocal == dstLocal)
            return;
        if (connections is not null && connections.TryResolve(packet, classifier, map, out var owner))
        {
            AccountOwner(owner, packet.WireLength, timestampMicros, map);
            return;
        }
        if (srcLocal)
            Table.AddTx(new TrafficKey(packet.Ip.Source, role == CaptureRole.Wan ? wanNic : srcNic), packet.WireLength, timestampMicros);
        if (dstLocal)
            Table.AddRx(new TrafficKey(packet.Ip.Destination, role == CaptureRole.Wan ? wanNic : dstNic), packet.WireLength, timestampMicros);
        CountUnresolved(srcLocal ? packet.Ip.Source : packet.Ip.Destination, srcLocal ? srcNic : dstNic);
    }

    private void AccountOwner(in ConnectionOwner owner, int wireLength, long timestampMicros, NicMap map)
    {
        byte nic;
        var source = owner.Source;
        if (role == CaptureRole.Wan)
            nic = wanNic;
        else if (owner.Nic != TrafficKey.NoNic)
            nic = owner.Nic;
        else
        {
            classifier.Classify(owner.Host, map, out _, out nic);
            if (source != AttributionSource.Unattributed)
                source = AttributionSource.Map;
        }
        _sources.Count(nic, source);
        var key = new TrafficKey(owner.Host, nic);
        if (owner.HostSends)
            Table.AddTx(key, wireLength, timestampMicros);
        else
            Table.AddRx(key, wireLength, timestampMicros);
    }

    /// <summary>A packet no connection explains: the mapping's (or the WAN interface's), or the router's own on a WAN.</summary>
    private void CountUnresolved(IpAddr local, byte mappedNic)
    {
        var nic = role == CaptureRole.Wan ? wanNic : mappedNic;
        var own = connections is not null && role == CaptureRole.Wan && connections.IsRouterAddress(local);
        _sources.Count(nic, own ? AttributionSource.Unattributed : AttributionSource.Map);
    }
}
