using RoutingFlow.Capture.Addressing;
using RoutingFlow.Server.Hosts;
using RoutingFlow.Web.Hosts;

namespace RoutingFlow.Server.Dashboard;

/// <summary>The host pages' reader: <see cref="HostQueries"/>' reports mapped to the dashboard's views.</summary>
public sealed class HostReader(HostQueries hosts) : IHostReader
{
    public async Task<HostView?> HostAsync(string ip, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (!hosts.Ready || !HostAddress.TryParse(ip, out var address))
            return null;
        var r = await hosts.ReportAsync(address, from, to, cancellationToken);
        return new HostView(r.Ip, r.Names, r.RxBytes, r.TxBytes,
            r.Wans.Select(w => new HostWanView(w.Nic, w.RxBytes, w.TxBytes, w.Share)).ToList(),
            r.Minutes.Select(m => new HostPointView(m.Time, m.Nic, m.RxBytes * 8 / 60.0, m.TxBytes * 8 / 60.0)).ToList(),
            r.Incidents.Select(i => new HostIncidentView(i.Id, i.Nic, i.State, i.StartedAt, i.EndedAt, i.Direction, i.Bps, i.Share)).ToList(),
            r.Live.Select(l => new HostLiveView(l.Nic, l.RxBps, l.TxBps)).ToList(),
            r.Flows)
        {
            Devices = r.Devices.Select(d => new HostDeviceView(d.Device, d.Protocol, d.SourcePort, d.DestinationPort, d.Direction, d.Packets, d.Bytes)).ToList(),
        };
    }

    public async Task<IReadOnlyList<HostMatchView>> SearchAsync(string query, CancellationToken cancellationToken) =>
        (await hosts.SearchAsync(query, 50, cancellationToken)).Select(m => new HostMatchView(m.Ip, m.Name)).ToList();
}
