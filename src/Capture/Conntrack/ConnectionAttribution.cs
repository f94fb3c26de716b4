using System.Runtime.CompilerServices;
using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Capture.Conntrack;

/// <summary>
/// A packet's connection as one capture sees it: the LAN host it belongs to (behind NAT, the host of the original
/// tuple even on a WAN capture), whether the host sent it, and the WAN the connection's rules chose. Answers come
/// from a direct-mapped cache keyed by the packet's 5-tuple either way round, filled from the shared
/// <see cref="ConntrackTable"/> on a miss and checked against the table's generation of that connection per packet,
/// so that no packet costs a lock or a system call once its connection is known. The capture thread only.
/// </summary>
public sealed class ConnectionAttribution(ConntrackTable table, RouterInterfacesHolder router, int cacheSize = ConnectionAttribution.DefaultCacheSize)
{
    public const int DefaultCacheSize = 65_536;
    private readonly CacheEntry[] _cache = new CacheEntry[System.Numerics.BitOperations.RoundUpToPowerOf2((uint)cacheSize)];

    /// <summary>Lookups in the shared table (cache misses).</summary>
    public long Misses { get; private set; }

    public ConntrackTable Table => table;

    /// <summary>True when <paramref name="ip"/> is one of the router's own addresses.</summary>
    public bool IsRouterAddress(IpAddr ip) => router.Current.IsRouterAddress(ip);

    /// <summary>The owner of <paramref name="packet"/>'s connection; false when conntrack is not in use, the packet has no ports, or no tracked connection names a host.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryResolve(in DecodedPacket packet, IpClassifier classifier, NicMap map, out ConnectionOwner owner)
    {
        owner = default;
        if (!packet.HasTransport || packet.Ip.Protocol is not (IpProtocol.Tcp or IpProtocol.Udp) || !table.Active)
            return false;
        var tuple = new ConntrackTuple(packet.Ip.Source, packet.Ip.Destination, packet.Transport.SourcePort, packet.Transport.DestinationPort, packet.Ip.Protocol);
        ref var cached = ref _cache[(int)tuple.UndirectedHash() & (_cache.Length - 1)];
        var forward = cached.Key.Equals(tuple);
        if (!(cached.Filled && (forward || cached.Key.IsReverseOf(tuple)) && StillValid(cached)))
        {
            Fill(ref cached, tuple, classifier, map);
            forward = true;
        }
        if (!cached.Found)
            return false;
        owner = new ConnectionOwner(cached.Host, cached.HostSendsKey == forward, cached.Nic, cached.Source);
        return true;
    }

    /// <summary>Starts loading the cache slot of <paramref name="packet"/>'s connection, so that a batch overlaps its cache misses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(in DecodedPacket packet)
    {
        if (!packet.HasTransport || !System.Runtime.Intrinsics.X86.Sse.IsSupported)
            return;
        var tuple = new ConntrackTuple(packet.Ip.Source, packet.Ip.Destination, packet.Transport.SourcePort, packet.Transport.DestinationPort, packet.Ip.Protocol);
        System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref _cache[(int)tuple.UndirectedHash() & (_cache.Length - 1)]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool StillValid(in CacheEntry cached) =>
        cached.RouterVersion == (int)router.Current.Version
        && (cached.Found ? table.GenerationOf(cached.Slot) == cached.Generation : (int)table.InsertVersion == cached.Inserts);

    private void Fill(ref CacheEntry cached, in ConntrackTuple tuple, IpClassifier classifier, NicMap map)
    {
        Misses++;
        var interfaces = router.Current;
        cached = new CacheEntry { Key = tuple, Filled = true, RouterVersion = (int)interfaces.Version, Inserts = (int)table.InsertVersion };
        if (!table.TryFind(tuple, out var entry, out cached.Slot, out cached.Generation) || !ConnectionHosts.TryHost(entry, classifier, map, out var host, out var hostSendsOriginal))
            return;
        var packetIsOriginal = tuple.Equals(entry.Original) || tuple.IsReverseOf(entry.Reply);
        cached.Found = true;
        cached.Host = host;
        cached.HostSendsKey = packetIsOriginal == hostSendsOriginal;
        var own = interfaces.IsRouterAddress(host);
        cached.Nic = own ? byte.MaxValue : entry.Nic;
        cached.Source = own ? AttributionSource.Unattributed : entry.Source;
    }

    private struct CacheEntry
    {
        public ConntrackTuple Key;
        public IpAddr Host;
        public int Inserts;
        public int RouterVersion;
        public int Slot;
        public int Generation;
        public byte Nic;
        public AttributionSource Source;
        public bool Filled;
        public bool Found;
        public bool HostSendsKey;
    }
}

/// <summary>Whom a packet's bytes belong to: <see cref="Host"/>, as sender when <see cref="HostSends"/>; on WAN <see cref="Nic"/> (255: none chosen) by <see cref="Source"/>.</summary>
public readonly record struct ConnectionOwner(IpAddr Host, bool HostSends, byte Nic, AttributionSource Source);
