namespace RoutingFlow.Web.Traffic;

/// <summary>
/// How traffic is attributed to WANs and hosts, as the dashboard shows it: conntrack's mode and state (with the reason
/// and the fix when it cannot be read), the backend, the table's size, and per WAN the share of packets each source
/// (<c>nat</c>, <c>mark</c>, <c>route</c>, <c>map</c>, <c>unattributed</c>) attributed.
/// </summary>
public sealed record AttributionView(string Mode, string State, string? Error, string? Fix, string Backend, int Entries, long Resyncs,
    long Evictions, IReadOnlyList<AttributionShareView> Wans)
{
    public static AttributionView Empty { get; } = new("off", "off", null, null, "pcap", 0, 0, 0, []);

    /// <summary>What keeps attribution less current than it could be (the kernel sends no events), if anything.</summary>
    public string? Warning { get; init; }
}

/// <summary>One WAN's packets and each source's share of them (0–1).</summary>
public sealed record AttributionShareView(string Nic, long Packets, IReadOnlyDictionary<string, double> Shares);

/// <summary>The attribution picture and its updates (once a second).</summary>
public interface IAttributionFeed
{
    AttributionView Current { get; }

    event Action<AttributionView>? Changed;
}
