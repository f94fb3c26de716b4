using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Web.Hosts;

/// <summary>One host's page and the host search.</summary>
public interface IHostReader
{
    /// <summary>The host over the range; null when the history is not available or <paramref name="ip"/> is not an address.</summary>
    Task<HostView?> HostAsync(string ip, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Hosts by address (as typed) or by a part of their name.</summary>
    Task<IReadOnlyList<HostMatchView>> SearchAsync(string query, CancellationToken cancellationToken);
}

/// <summary>A host over a range: bytes, per-WAN share, per-minute rates per WAN, names, incidents, live rates and flows.</summary>
public sealed record HostView(
    string Ip,
    IReadOnlyList<string> Names,
    long RxBytes,
    long TxBytes,
    IReadOnlyList<HostWanView> Wans,
    IReadOnlyList<HostPointView> Points,
    IReadOnlyList<HostIncidentView> Incidents,
    IReadOnlyList<HostLiveView> Live,
    IReadOnlyList<TcpFlowRow> Flows)
{
    /// <summary>The attached devices' connection counters for the host's flows (matched by their ports).</summary>
    public IReadOnlyList<HostDeviceView> Devices { get; init; } = [];
}

/// <summary>One device counter: device, protocol, ports as the device saw them, direction, packets and bytes.</summary>
public sealed record HostDeviceView(string Device, string Protocol, int SourcePort, int DestinationPort, string Direction, long Packets, long Bytes);

public sealed record HostWanView(string Nic, long RxBytes, long TxBytes, double Share);

/// <summary>A stored minute of the host on a WAN, as mean rates (bit/s).</summary>
public sealed record HostPointView(DateTimeOffset Time, string Nic, double RxBps, double TxBps);

public sealed record HostIncidentView(long Id, string Nic, string State, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string Direction, double Bps, double? Share);

public sealed record HostLiveView(string Nic, double RxBps, double TxBps);

public sealed record HostMatchView(string Ip, string? Name);
