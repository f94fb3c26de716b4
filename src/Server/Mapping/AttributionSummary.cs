using RoutingFlow.Capture.Conntrack;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Server.Capture;

namespace RoutingFlow.Server.Mapping;

/// <summary>Packets per WAN by what attributed them, summed over the captures' last publications.</summary>
public sealed record AttributionShare(string Nic, long Packets, IReadOnlyDictionary<string, long> BySource)
{
    /// <summary>Each source's share of the WAN's packets (0 when it had none).</summary>
    public IReadOnlyDictionary<string, double> Shares => BySource.ToDictionary(p => p.Key, p => Packets == 0 ? 0 : Math.Round((double)p.Value / Packets, 4));

    /// <param name="backend">The conntrack backend's snapshot, when it counts instead of captures.</param>
    public static IReadOnlyList<AttributionShare> Of(IEnumerable<CaptureSession> sessions, NicMap map, CaptureSnapshot? backend = null)
    {
        var counts = AttributionCounts.Sum(sessions.Select(s => s.Latest?.Attribution).Append(backend?.Attribution).OfType<AttributionCounts>(), map.Nics.Count);
        var shares = new List<AttributionShare>();
        for (var nic = 0; nic <= map.Nics.Count; nic++)
        {
            var name = nic < map.Nics.Count ? map.Nics[nic] : "";
            var bySource = AttributionSources.All.Select((s, i) => (s, counts.Of((byte)nic, (AttributionSource)i))).ToDictionary(p => p.s, p => p.Item2);
            var total = bySource.Values.Sum();
            if (nic < map.Nics.Count || total > 0)
                shares.Add(new AttributionShare(name, total, bySource));
        }
        return shares;
    }
}
