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

/// <summary>
/// The interfaces on <c>/metrics</c>: <c>routingflow_interface_bytes_total</c> and <c>_packets_total</c>
/// {interface,direction} (the kernel's counters), <c>routingflow_interface_rate_bps</c> {interface,direction,window}
/// (window now, 1m, 5m, 15m), <c>routingflow_interface_wan_rate_bps</c> {nic,direction,window} (captured) and
/// <c>routingflow_interface_capture_coverage_ratio</c> {interface} (absent while unknown). Series of an interface that
/// is gone are removed.
/// </summary>
public sealed class InterfaceMetrics(IMetricFactory factory)
{
    private static readonly string[] WindowNames = ["now", "1m", "5m", "15m"];
    private readonly Counter _bytes = factory.CreateCounter("routingflow_interface_bytes_total", "Bytes an interface carried, from the kernel's counters (/proc/net/dev).", ["interface", "direction"]);
    private readonly Counter _packets = factory.CreateCounter("routingflow_interface_packets_total", "Packets an interface carried, from the kernel's counters.", ["interface", "direction"]);
    private readonly Gauge _rate = factory.CreateGauge("routingflow_interface_rate_bps", "An interface's rate from its counters: the last scan's and averaged over 1, 5 and 15 minutes.", ["interface", "direction", "window"]);
    private readonly Gauge _wanRate = factory.CreateGauge("routingflow_interface_wan_rate_bps", "A WAN's captured rate: now and averaged over 1, 5 and 15 minutes.", ["nic", "direction", "window"]);
    private readonly Gauge _coverage = factory.CreateGauge("routingflow_interface_capture_coverage_ratio", "A capture's bytes against its interface's counted bytes over Network:CoverageWindow.", ["interface"]);
    private readonly HashSet<string> _shown = new(StringComparer.Ordinal);
    private readonly HashSet<string> _covered = new(StringComparer.Ordinal);

    public void Update(BandwidthScan scan)
    {
        lock (_shown)
        {
            var names = scan.Interfaces.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _shown.Where(n => !names.Contains(n)).ToList())
                Remove(gone);
            foreach (var i in scan.Interfaces)
            {
                _bytes.WithLabels(i.Name, "rx").IncTo(i.RxBytes);
                _bytes.WithLabels(i.Name, "tx").IncTo(i.TxBytes);
                _packets.WithLabels(i.Name, "rx").IncTo(i.RxPackets);
                _packets.WithLabels(i.Name, "tx").IncTo(i.TxPackets);
                Rates(_rate, i.Name, i.Rates);
                _shown.Add(i.Name);
            }
            foreach (var w in scan.Wans)
                Rates(_wanRate, w.Nic, w.Rates);
            foreach (var c in scan.Coverage)
            {
                if (c.Ratio is { } ratio)
                {
                    _coverage.WithLabels(c.Interface).Set(ratio);
                    _covered.Add(c.Interface);
                }
                else if (_covered.Remove(c.Interface))
                {
                    _coverage.RemoveLabelled(c.Interface);
                }
            }
        }
    }

    private static void Rates(Gauge gauge, string name, RateSet rates)
    {
        DirectionRates[] all = [rates.Now, rates.Avg1m, rates.Avg5m, rates.Avg15m];
        for (var w = 0; w < all.Length; w++)
        {
            gauge.WithLabels(name, "rx", WindowNames[w]).Set(all[w].RxBps);
            gauge.WithLabels(name, "tx", WindowNames[w]).Set(all[w].TxBps);
        }
    }

    private void Remove(string name)
    {
        _shown.Remove(name);
        foreach (var direction in new[] { "rx", "tx" })
        {
            _bytes.RemoveLabelled(name, direction);
            _packets.RemoveLabelled(name, direction);
            foreach (var window in WindowNames)
                _rate.RemoveLabelled(name, direction, window);
        }
    }
}

/// <summary>
/// Connection attempts from the captured handshakes on <c>/metrics</c>, per capture and WAN:
/// <c>routingflow_connections_attempts_total</c>, <c>_successes_total</c>, <c>_failures_total{reason="refused"|"timeout"}</c>
/// {interface,nic}, <c>routingflow_connections_active{interface}</c> and
/// <c>routingflow_connections_setup_seconds{interface,stat="mean"|"p50"|"p95"}</c>.
/// </summary>
public sealed class HandshakeMetrics(IMetricFactory factory)
{
    private readonly Counter _attempts = factory.CreateCounter("routingflow_connections_attempts_total", "TCP connection attempts seen (first SYNs), by capture and WAN.", ["interface", "nic"]);
    private readonly Counter _successes = factory.CreateCounter("routingflow_connections_successes_total", "TCP handshakes completed, by capture and WAN.", ["interface", "nic"]);
    private readonly Counter _failures = factory.CreateCounter("routingflow_connections_failures_total", "TCP connection attempts that failed: refused (a RST answered the SYN) or timeout (no SYN/ACK within Network:ConnectTimeout).", ["interface", "nic", "reason"]);
    private readonly Gauge _active = factory.CreateGauge("routingflow_connections_active", "TCP connections tracked as active by a capture.", ["interface"]);
    private readonly Gauge _setup = factory.CreateGauge("routingflow_connections_setup_seconds", "TCP connection set-up time (SYN to the ACK of the SYN/ACK): mean, median and 95th percentile.", ["interface", "stat"]);

    public void Update(IReadOnlyList<CaptureHandshakes> captures)
    {
        foreach (var c in captures)
        {
            foreach (var n in c.Nics)
            {
                _attempts.WithLabels(c.Interface, n.Nic).IncTo(n.Attempts);
                _successes.WithLabels(c.Interface, n.Nic).IncTo(n.Successes);
                _failures.WithLabels(c.Interface, n.Nic, "refused").IncTo(n.Refused);
                _failures.WithLabels(c.Interface, n.Nic, "timeout").IncTo(n.TimedOut);
            }
            _active.WithLabels(c.Interface).Set(c.Active);
            foreach (var (stat, value) in new[] { ("mean", c.SetupSeconds.Mean), ("p50", c.SetupSeconds.P50), ("p95", c.SetupSeconds.P95) })
            {
                if (value is { } v)
                    _setup.WithLabels(c.Interface, stat).Set(v);
            }
        }
    }
}

/// <summary>
/// The protocol inspection on <c>/metrics</c>, per capture: <c>routingflow_protocol_packets_total</c> and
/// <c>_bytes_total</c> {interface,protocol}, <c>routingflow_protocol_messages_total</c>
/// {interface,protocol,type,record} (DNS: type query|response, record the record type; HTTP: request with the method,
/// response with the status; TLS: client_hello|server_hello with the version), <c>routingflow_protocol_errors_total</c>
/// {interface,protocol,type} (DNS response codes and unanswered queries, TLS hellos unanswered, TCP resets, ICMP
/// unreachable and time exceeded), <c>routingflow_protocol_versions_total</c> {interface,protocol,version},
/// <c>routingflow_protocol_latency_seconds</c> {interface,protocol="dns"|"tls"|"http",stat="mean"|"p50"|"p95"} and the
/// name cache's <c>routingflow_protocol_names</c> and <c>_names_evicted_total</c>. Bounded labels: fixed protocol, record
/// and code lists, TLS/HTTP types capped by <c>MaxMessageTypes</c>; never an address or a port.
/// </summary>
public sealed class ProtocolMetrics(IMetricFactory factory)
{
    private readonly Counter _packets = factory.CreateCounter("routingflow_protocol_packets_total", "Packets by protocol class (transport and port).", ["interface", "protocol"]);
    private readonly Counter _bytes = factory.CreateCounter("routingflow_protocol_bytes_total", "Bytes by protocol class (transport and port).", ["interface", "protocol"]);
    private readonly Counter _messages = factory.CreateCounter("routingflow_protocol_messages_total", "Protocol messages seen: DNS queries and responses by record type, HTTP requests by method and responses by status, TLS hellos by version.", ["interface", "protocol", "type", "record"]);
    private readonly Counter _errors = factory.CreateCounter("routingflow_protocol_errors_total", "Protocol errors: DNS response codes, TCP resets, ICMP destination unreachable and time exceeded.", ["interface", "protocol", "type"]);
    private readonly Counter _udpFlows = factory.CreateCounter("routingflow_connections_udp_flows_total", "UDP \"connections\": first packets of a new 5-tuple, answered or not.", ["interface"]);
    private readonly Counter _udpAnswered = factory.CreateCounter("routingflow_connections_udp_answered_total", "UDP flows that got a packet back.", ["interface"]);
    private readonly Gauge _latency = factory.CreateGauge("routingflow_protocol_latency_seconds", "Request to answer (DNS query to response, TLS ClientHello to ServerHello, HTTP request to response): mean, median and 95th percentile.", ["interface", "protocol", "stat"]);
    private readonly Counter _versions = factory.CreateCounter("routingflow_protocol_versions_total", "Protocol versions seen: the TLS version each ServerHello chose, each HTTP request line's version.", ["interface", "protocol", "version"]);
    private readonly Gauge _names = factory.CreateGauge("routingflow_protocol_names", "Remote addresses the name cache holds a name for (DNS answers, TLS server names).");
    private readonly Counter _namesEvicted = factory.CreateCounter("routingflow_protocol_names_evicted_total", "Names dropped from the full name cache before their TTL ran out.");

    public void Update(IReadOnlyList<CaptureProtocols> captures, RoutingFlow.Capture.Protocols.NameCacheCounters names)
    {
        _names.Set(names.Held);
        _namesEvicted.IncTo(names.Evicted);
        foreach (var c in captures)
        {
            var p = c.Protocols;
            foreach (var m in p.Mix)
            {
                _packets.WithLabels(c.Interface, m.Protocol).IncTo(m.Packets);
                _bytes.WithLabels(c.Interface, m.Protocol).IncTo(m.Bytes);
            }
            foreach (var t in p.DnsTypes)
            {
                _messages.WithLabels(c.Interface, "dns", "query", t.Type).IncTo(t.Queries);
                _messages.WithLabels(c.Interface, "dns", "response", t.Type).IncTo(t.Responses);
            }
            foreach (var r in p.DnsRcodes.Where(r => r.Rcode != "NOERROR"))
                _errors.WithLabels(c.Interface, "dns", r.Rcode).IncTo(r.Count);
            _errors.WithLabels(c.Interface, "dns", "unanswered").IncTo(p.Dns.Unanswered);
            _errors.WithLabels(c.Interface, "tls", "unanswered").IncTo(p.App.TlsUnanswered);
            _errors.WithLabels(c.Interface, "tcp", "reset").IncTo(p.Errors.TcpResets);
            foreach (var m in p.Messages)
                _messages.WithLabels(c.Interface, m.Protocol, m.Message, m.Detail).IncTo(m.Count);
            foreach (var v in p.Versions)
                _versions.WithLabels(c.Interface, v.Protocol, v.Version).IncTo(v.Count);
            _errors.WithLabels(c.Interface, "icmp", "destination_unreachable").IncTo(p.Errors.IcmpUnreachable);
            _errors.WithLabels(c.Interface, "icmp", "time_exceeded").IncTo(p.Errors.IcmpTimeExceeded);
            _udpFlows.WithLabels(c.Interface).IncTo(p.Udp.Flows);
            _udpAnswered.WithLabels(c.Interface).IncTo(p.Udp.Answered);
            foreach (var (protocol, latency) in new[] { ("dns", p.DnsLatency), ("tls", p.TlsLatency), ("http", p.HttpLatency) })
            {
                foreach (var (stat, value) in new[] { ("mean", latency.Mean), ("p50", latency.P50), ("p95", latency.P95) })
                {
                    if (value is { } v)
                        _latency.WithLabels(c.Interface, protocol, stat).Set(v);
                }
            }
        }
    }
}
