namespace RoutingFlow.Web.Traffic;

/// <summary>
/// The live traffic picture published once a second: each WAN with its rates and its IPs (busiest first), and
/// the state of every capture.
/// </summary>
public sealed record TrafficView(DateTimeOffset Timestamp, IReadOnlyList<NicTraffic> Nics, IReadOnlyList<CaptureInfo> Captures)
{
    public static TrafficView Empty { get; } = new(DateTimeOffset.MinValue, [], []);
}

/// <summary>One capture as the dashboard shows it; <see cref="State"/> is running, failed, starting or stopped.</summary>
public sealed record CaptureInfo(string Interface, string Role, string? Nic, string State, string? Error, long Packets, long Drops);

public sealed record NicTraffic(string Name, string Interface, double RxBps, double TxBps, IReadOnlyList<IpTraffic> Ips)
{
    /// <summary>Hosts among the busiest of the last minute that are idle now, most recently active first (their rates as when last active).</summary>
    public IReadOnlyList<IpTraffic> Idle { get; init; } = [];
}

public sealed record IpTraffic(string Ip, double RxBps, double TxBps, long RxBytes, long TxBytes)
{
    /// <summary>The name DNS or TLS gave this IP on the wire, for the busiest IPs of each WAN (null when none is known).</summary>
    public string? Name { get; init; }

    /// <summary>For an idle host: when it was last active (its rates are from then); null for an active one.</summary>
    public DateTimeOffset? IdleSince { get; init; }

    public double TotalBps => RxBps + TxBps;
}
