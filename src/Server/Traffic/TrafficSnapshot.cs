using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Server.Traffic;

/// <summary>
/// The live traffic, produced once a second by <see cref="TrafficAggregator"/> and shared immutably by every reader
/// (the monitor, the recorder, the metrics, the dashboard's feed): each WAN with its rates and its hosts, busiest
/// first, and the state of every capture. Rates are bits per second; hosts are keyed by the decoder's address type.
/// </summary>
public sealed record TrafficSnapshot(DateTimeOffset Timestamp, IReadOnlyList<WanTraffic> Wans, IReadOnlyList<CaptureStatus> Captures)
{
    public static TrafficSnapshot Empty { get; } = new(DateTimeOffset.MinValue, [], []);

    /// <summary>The hosts of WAN <paramref name="nic"/> (busiest first), none when it is unknown.</summary>
    public IReadOnlyList<HostTraffic> HostsOf(string nic) => Wans.FirstOrDefault(w => w.Nic == nic)?.Hosts ?? [];
}

/// <summary>One WAN's traffic: its total rates and its hosts, busiest first.</summary>
public sealed record WanTraffic(string Nic, string Interface, double RxBps, double TxBps, IReadOnlyList<HostTraffic> Hosts)
{
    /// <summary>Hosts among the WAN's busiest within the last minute that are idle now (<see cref="RecentHosts"/>).</summary>
    public IReadOnlyList<IdleHost> Idle { get; init; } = [];
}

/// <summary>One local host on a WAN: its rates over the rate window and the bytes it carried since it was first seen.</summary>
public readonly record struct HostTraffic(IpAddr Ip, double RxBps, double TxBps, long RxBytes, long TxBytes)
{
    /// <summary>The name DNS or TLS gave this host on the wire, for the busiest hosts of each WAN (null when none is known).</summary>
    public string? Name { get; init; }

    public double TotalBps => RxBps + TxBps;
}

/// <summary>One source of traffic (a capture, or the conntrack backend); <see cref="State"/> is running, failed, starting or stopped.</summary>
public sealed record CaptureStatus(string Interface, string Role, string? Nic, string State, string? Error, long Packets, long Drops);
