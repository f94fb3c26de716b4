using Prometheus;
using RoutingFlow.Capture.Network;

namespace RoutingFlow.Server.Network;

/// <summary>
/// The router's sockets and the kernel's protocol counters on <c>/metrics</c>, refreshed before each scrape:
/// <c>routingflow_connections_sockets{protocol,state}</c>, <c>routingflow_connections_kernel_events_total{name}</c>
/// (the counters as <c>nstat</c> names them; <c>TcpCurrEstab</c> is <c>routingflow_connections_kernel_established</c>)
/// and <c>routingflow_connections_source_up{file}</c>. Bounded labels only: no address or port.
/// </summary>
public sealed class NetworkMetrics(IMetricFactory factory)
{
    private readonly Gauge _sockets = factory.CreateGauge("routingflow_connections_sockets", "The router's own sockets by table and state (/proc/net/tcp, tcp6, udp, udp6).", ["protocol", "state"]);
    private readonly Counter _events = factory.CreateCounter("routingflow_connections_kernel_events_total", "The kernel's protocol counters (/proc/net/snmp, netstat), named as nstat names them.", ["name"]);
    private readonly Gauge _established = factory.CreateGauge("routingflow_connections_kernel_established", "TCP connections the kernel has established now (TcpCurrEstab).");
    private readonly Gauge _up = factory.CreateGauge("routingflow_connections_source_up", "1 when the /proc file was read at its last try, 0 while it fails.", ["file"]);
    private readonly HashSet<(string, string)> _shown = [];

    public void Update(SocketScan scan)
    {
        lock (_shown)
        {
            var now = scan.Sockets.Select(s => (s.Protocol, s.State)).ToHashSet();
            foreach (var gone in _shown.Except(now).ToList())
            {
                _sockets.RemoveLabelled(gone.Item1, gone.Item2); // a state with no socket left
                _shown.Remove(gone);
            }
            foreach (var s in scan.Sockets)
            {
                _sockets.WithLabels(s.Protocol, s.State).Set(s.Count);
                _shown.Add((s.Protocol, s.State));
            }
        }
        foreach (var c in scan.Counters)
        {
            if (c.Name == KernelCounters.CurrentlyEstablished)
                _established.Set(c.Value);
            else
                _events.WithLabels(c.Name).IncTo(c.Value);
        }
        foreach (var source in scan.Sources)
            _up.WithLabels(source.Path).Set(source.State == "failing" ? 0 : 1);
    }
}
