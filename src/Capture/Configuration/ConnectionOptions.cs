namespace RoutingFlow.Capture.Configuration;

/// <summary><c>RoutingFlow:Connections</c>: per-connection counters of the devices attached over REST.</summary>
public sealed class ConnectionOptions
{
    /// <summary>Connection entries kept per device; past it the least recently active is evicted (counted).</summary>
    public int MaxEntries { get; set; } = 65_536;

    /// <summary>An entry with no frame for this long is removed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A device whose name starts with one of these is a veth (its direction inverted), whatever its link kind.</summary>
    public List<string> VethPrefixes { get; set; } = ["veth"];

    /// <summary>Also take a device whose link kind is <c>veth</c> (as <c>ip -d link</c> shows) for a veth.</summary>
    public bool DetectVethKind { get; set; } = true;
}
