using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Capture.Accounting;

/// <summary>
/// Says whether an address is local and which WAN it maps to, behind a small direct-mapped cache so that the
/// longest-prefix lookups run once per address, mapping version and local-network version rather than per packet.
/// One writer thread (which is also the only one to call <see cref="SetLocalNetworks"/>).
/// </summary>
public sealed class IpClassifier(NetworkSet localNetworks)
{
    private const int CacheSize = 4096;
    private readonly Entry[] _cache = new Entry[CacheSize];
    private int _localVersion;

    public NetworkSet LocalNetworks { get; private set; } = localNetworks;

    /// <summary>Replaces the local networks (an interface got a new address); cached answers are dropped.</summary>
    public void SetLocalNetworks(NetworkSet localNetworks)
    {
        LocalNetworks = localNetworks;
        _localVersion++;
    }

    public void Classify(IpAddr ip, NicMap map, out bool local, out byte nic)
    {
        ref var entry = ref _cache[(int)ip.Hash64() & (CacheSize - 1)];
        if (entry.Version != map.Version || entry.LocalVersion != _localVersion || entry.Ip != ip)
        {
            entry.Ip = ip;
            entry.Version = map.Version;
            entry.LocalVersion = _localVersion;
            entry.Local = LocalNetworks.Contains(ip);
            entry.Nic = entry.Local ? map.Resolve(ip) : TrafficKey.NoNic;
        }
        local = entry.Local;
        nic = entry.Nic;
    }

    private struct Entry
    {
        public IpAddr Ip;
        public long Version;
        public int LocalVersion;
        public bool Local;
        public byte Nic;
    }
}
