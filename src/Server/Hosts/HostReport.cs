using RoutingFlow.Capture.Tcp;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage;

namespace RoutingFlow.Server.Hosts;

/// <summary>
/// One host over a range: its bytes per WAN (with conntrack attribution a host's traffic can be on several WANs:
/// <see cref="HostWan.Share"/> is each one's part), the stored minutes it was among a WAN's busiest, the names it had,
/// the incidents that named it, and now: its rates per WAN and its TCP flows among the analysis' top flows.
/// </summary>
public sealed record HostReport(
    string Ip,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<string> Names,
    IReadOnlyList<HostWan> Wans,
    IReadOnlyList<HostMinute> Minutes,
    IReadOnlyList<HostIncident> Incidents,
    IReadOnlyList<HostLive> Live,
    IReadOnlyList<TcpFlowRow> Flows,
    IReadOnlyList<HostDevice> Devices)
{
    public long RxBytes => Wans.Sum(w => w.RxBytes);

    public long TxBytes => Wans.Sum(w => w.TxBytes);

    /// <summary>The most recent name, if any.</summary>
    public string? Name => Names.Count > 0 ? Names[0] : null;
}

/// <summary>The host's bytes on one WAN over the range; <see cref="Share"/> its part of the host's bytes (0–1).</summary>
public sealed record HostWan(string Nic, long RxBytes, long TxBytes, double Share);

/// <summary>An incident that named the host: its direction and rate at the incident's peak (a culprit or a top IP).</summary>
public sealed record HostIncident(long Id, string Nic, string State, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string Direction, double Bps, double? Share);

/// <summary>The host's rates on one WAN now (bit/s).</summary>
public sealed record HostLive(string Nic, double RxBps, double TxBps);

/// <summary>A match of the host search: an address and the name it matched by (null when found by address).</summary>
public sealed record HostMatch(string Ip, string? Name);
