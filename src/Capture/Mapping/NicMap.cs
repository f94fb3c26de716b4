using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Mapping;

/// <summary>
/// The IP→WAN mapping in effect: URL and static rules merged by longest prefix (the URL's rule wins a tie),
/// then the default WAN. Immutable; a new mapping is a new instance with a higher <see cref="Version"/>.
/// WANs are numbered by their order in <c>nic.json</c> so the packet path carries a byte, not a string.
/// </summary>
public sealed class NicMap
{
    private readonly PrefixMatcher<byte> _rules;

    public NicMap(IReadOnlyList<string> nics, string defaultNic, IReadOnlyList<MappingEntry> entries, long version)
    {
        Nics = nics;
        DefaultNic = defaultNic;
        // No WAN at all is a server that only watches other routers (fleet mode): nothing is ever classified.
        DefaultIndex = nics.Count == 0 ? (byte)0 : IndexOf(defaultNic) ?? throw new ArgumentException($"default NIC '{defaultNic}' is not declared", nameof(defaultNic));
        Entries = entries;
        Version = version;
        var ordered = entries.OrderBy(e => e.Source == "url" ? 1 : 0)
            .Select(e => KeyValuePair.Create(e.Network, IndexOf(e.Nic) ?? throw new ArgumentException($"NIC '{e.Nic}' is not declared", nameof(entries))));
        _rules = new PrefixMatcher<byte>(ordered);
    }

    public IReadOnlyList<string> Nics { get; }

    public string DefaultNic { get; }

    public byte DefaultIndex { get; }

    public IReadOnlyList<MappingEntry> Entries { get; }

    public long Version { get; }

    public byte Resolve(IpAddr ip) => _rules.TryMatch(ip, out var nic) ? nic : DefaultIndex;

    public string NameOf(byte nic) => nic < Nics.Count ? Nics[nic] : "";

    public byte? IndexOf(string nic)
    {
        for (var i = 0; i < Nics.Count; i++)
        {
            if (Nics[i] == nic)
                return (byte)i;
        }
        return null;
    }

    public NicMap WithEntries(IReadOnlyList<MappingEntry> entries) => new(Nics, DefaultNic, entries, Version + 1);
}
