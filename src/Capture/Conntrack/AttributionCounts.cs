namespace RoutingFlow.Capture.Conntrack;

/// <summary>
/// Packets per (WAN, attribution source), cumulative. The capture thread counts into its own instance; a publication
/// hands readers a copy. WAN indexes past the declared ones (255: none) share the last row.
/// </summary>
public sealed class AttributionCounts
{
    private readonly long[] _packets;

    public AttributionCounts(int nics)
    {
        Nics = nics;
        _packets = new long[(nics + 1) * AttributionSources.Count];
    }

    private AttributionCounts(int nics, long[] packets)
    {
        Nics = nics;
        _packets = packets;
    }

    /// <summary>How many declared WANs have a row (the row after them holds packets on no WAN).</summary>
    public int Nics { get; }

    public void Count(byte nic, AttributionSource source) => _packets[(Math.Min(nic, Nics) * AttributionSources.Count) + (int)source]++;

    public void Add(byte nic, AttributionSource source, long packets) => _packets[(Math.Min(nic, Nics) * AttributionSources.Count) + (int)source] += packets;

    public long Of(byte nic, AttributionSource source) => _packets[(Math.Min(nic, Nics) * AttributionSources.Count) + (int)source];

    public AttributionCounts Copy() => new(Nics, (long[])_packets.Clone());

    /// <summary>The sum of several captures' counts (rows by WAN index).</summary>
    public static AttributionCounts Sum(IEnumerable<AttributionCounts> counts, int nics)
    {
        var total = new AttributionCounts(nics);
        foreach (var c in counts)
        {
            for (var nic = 0; nic <= nics; nic++)
            {
                for (var s = 0; s < AttributionSources.Count; s++)
                    total._packets[(nic * AttributionSources.Count) + s] += c.Of((byte)nic, (AttributionSource)s);
            }
        }
        return total;
    }
}
