using RoutingFlow.Server.Hosting;
using System.Text;
using RoutingFlow.Server.History;

namespace RoutingFlow.Server.Network;

/// <summary><c>GET /api/network/connections</c>: the router's sockets by state and the kernel's counters (JSON; CSV with <c>format=csv</c>).</summary>
public static class NetworkApi
{
    public static void MapNetworkApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/network/connections", Connections).Format().Produces<string>(200, "text/csv").Validated()
            .WithDescription("Connection metrics: TCP handshakes per capture and WAN, sockets by state, the kernel's counters.");
        app.MapGet("/api/network/bandwidth", Bandwidth).Format().Produces<string>(200, "text/csv").Validated()
            .WithDescription("Bandwidth per interface and WAN: bytes, rates now and over 1, 5 and 15 minutes, capture coverage.");
        app.MapGet("/api/network/protocols", Protocols).Format().Produces<string>(200, "text/csv").Validated()
            .WithDescription("Protocol metrics per capture: packets and bytes by protocol, DNS queries, answers and rcodes, latencies.");
        app.MapGet("/api/network/names", Names).Format()
            .Query("limit", ParamKind.Integer, "how many names (default 1000)", min: 1, max: 1_000_000).Produces<string>(200, "text/csv").Validated()
            .WithDescription("Remote addresses named by DNS answers and TLS server names, newest first.");
    }

    /// <summary>
    /// <c>GET /api/network/names</c>: the remote addresses named by DNS answers and TLS server names seen on the wire,
    /// newest first (<c>limit</c>, default 1000), with each name's source and the seconds it has left (JSON; CSV with
    /// <c>format=csv</c>: <c>address,name,source,expiresInSeconds</c>).
    /// </summary>
    public static IResult Names(RoutingFlow.Capture.Protocols.NameCache names, TimeProvider time, string? format = null, string? limit = null)
    {
        if (BadFormat(format) is { } bad)
            return bad;
        if (!HistoryQuery.TryInt(limit, "limit", 1000, 1, 1_000_000, out var count, out var error))
            return ApiProblems.Invalid(error.Value);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        var held = names.Snapshot(now, count);
        var rows = held.Select(n => new { address = n.Address.ToString(), name = n.Name, source = n.Source.ToString().ToLowerInvariant(),
            expiresInSeconds = Math.Round(n.ExpiresInSeconds, 1) }).ToList();
        if (format == "csv")
        {
            var csv = new StringBuilder(Csv.Row("address", "name", "source", "expiresInSeconds"));
            foreach (var r in rows)
                csv.Append(Csv.Row(r.address, Csv.Field(r.name), r.source, Csv.Number(r.expiresInSeconds)));
            return TypedResults.Text(csv.ToString(), "text/csv; charset=utf-8");
        }
        var counters = names.Counters;
        return TypedResults.Ok(new { held = counters.Held, capacity = names.Capacity, learned = counters.Learned, evicted = counters.Evicted,
            expired = counters.Expired, names = rows });
    }

    public static IResult Connections(NetworkState state, Tcp.TcpHealth health, string? format = null)
    {
        if (BadFormat(format) is { } bad)
            return bad;
        var scan = state.Sockets;
        var handshakes = HandshakeViews.Of(health);
        if (format == "csv")
            return TypedResults.Text(ToCsv(scan, handshakes), "text/csv; charset=utf-8");
        return TypedResults.Ok(new
        {
            handshakes,
            scannedAt = scan.At,
            sockets = scan.Sockets,
            totals = scan.Sockets.GroupBy(s => s.Protocol).ToDictionary(g => g.Key, g => g.Sum(s => s.Count)),
            kernel = scan.Counters,
            sources = scan.Sources,
        });
    }

    /// <summary>
    /// <c>GET /api/network/bandwidth</c>: each interface's counters, rates and averages, each WAN's captured averages, and
    /// each capture's coverage (JSON; CSV with <c>format=csv</c>: one row per interface and per WAN).
    /// </summary>
    public static IResult Bandwidth(NetworkState state, string? format = null)
    {
        if (BadFormat(format) is { } bad)
            return bad;
        var scan = state.Bandwidth;
        if (format != "csv")
            return TypedResults.Ok(scan);
        var csv = new StringBuilder(Csv.Row("kind", "name", "interface", "rxBytes", "txBytes", "rxBps", "txBps", "rxBps1m", "txBps1m", "rxBps5m", "txBps5m",
            "rxBps15m", "txBps15m", "coverage"));
        foreach (var i in scan.Interfaces)
        {
            var coverage = scan.Coverage.FirstOrDefault(c => c.Interface == i.Name)?.Ratio;
            csv.Append(Csv.Row([Csv.Field("interface"), Csv.Field(i.Name), Csv.Field(i.Name), Csv.Number(i.RxBytes), Csv.Number(i.TxBytes), .. Rates(i.Rates), Csv.Number(coverage)]));
        }
        foreach (var w in scan.Wans)
            csv.Append(Csv.Row(["wan", Csv.Field(w.Nic), Csv.Field(w.Interface), "", "", .. Rates(w.Rates), ""]));
        return TypedResults.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    /// <summary>
    /// <c>GET /api/network/protocols</c>: per capture, the protocol mix, DNS messages by type and response code with
    /// their latency, TLS and HTTP messages by type with their versions and latency, TCP resets and ICMP errors (JSON;
    /// CSV with <c>format=csv</c>: <c>interface,kind,name,value</c>).
    /// </summary>
    public static IResult Protocols(Capture.CaptureManager captures, ProtocolAnalysisFactory protocols, string? format = null)
    {
        if (BadFormat(format) is { } bad)
            return bad;
        var all = ProtocolViews.Of(captures, protocols);
        if (format != "csv")
            return TypedResults.Ok(new { captures = all.Select(c => new { @interface = c.Interface, role = c.Role, protocols = Json(c.Protocols) }) });
        var csv = new StringBuilder(Csv.Row("interface", "kind", "name", "value"));
        foreach (var c in all)
        {
            var p = c.Protocols;
            foreach (var m in p.Mix)
            {
                csv.Append(Csv.Row(Csv.Field(c.Interface), "packets", m.Protocol, Csv.Number(m.Packets)));
                csv.Append(Csv.Row(Csv.Field(c.Interface), "bytes", m.Protocol, Csv.Number(m.Bytes)));
            }
            foreach (var t in p.DnsTypes)
            {
                csv.Append(Csv.Row(Csv.Field(c.Interface), "dns_queries", t.Type, Csv.Number(t.Queries)));
                csv.Append(Csv.Row(Csv.Field(c.Interface), "dns_responses", t.Type, Csv.Number(t.Responses)));
            }
            foreach (var r in p.DnsRcodes)
                csv.Append(Csv.Row(Csv.Field(c.Interface), "dns_rcode", r.Rcode, Csv.Number(r.Count)));
            foreach (var m in p.Messages)
                csv.Append(Csv.Row(Csv.Field(c.Interface), $"{m.Protocol}_{m.Message}", Csv.Field(m.Detail), Csv.Number(m.Count)));
            foreach (var v in p.Versions)
                csv.Append(Csv.Row(Csv.Field(c.Interface), $"{v.Protocol}_version", Csv.Field(v.Version), Csv.Number(v.Count)));
            foreach (var (kind, latency) in new[] { ("dns", p.DnsLatency), ("tls", p.TlsLatency), ("http", p.HttpLatency) })
            {
                csv.Append(Csv.Row(Csv.Field(c.Interface), $"{kind}_latency_seconds", "p50", Csv.Number(latency.P50)));
                csv.Append(Csv.Row(Csv.Field(c.Interface), $"{kind}_latency_seconds", "p95", Csv.Number(latency.P95)));
            }
        }
        return TypedResults.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem? BadFormat(string? format) =>
        format is null or "json" or "csv" ? null : ApiProblems.Invalid("format", $"format '{format}' is not json or csv");

    /// <summary>The snapshot as <c>analyze</c>'s <c>protocols</c> section names it (its counters are fields, which JSON leaves out).</summary>
    private static object Json(RoutingFlow.Capture.Protocols.ProtocolSnapshot p) => new
    {
        mix = p.Mix,
        dns = new
        {
            queries = p.Dns.Queries, responses = p.Dns.Responses, unanswered = p.Dns.Unanswered, unmatched = p.Dns.Unmatched,
            malformed = p.Dns.Malformed, pending = p.DnsPending, pendingOverflows = p.Dns.PendingOverflows,
            errors = p.DnsRcodes.Where(r => r.Rcode != "NOERROR").ToDictionary(r => r.Rcode, r => r.Count),
            types = p.DnsTypes,
            latencySeconds = p.DnsLatency,
        },
        errors = new { tcpReset = p.Errors.TcpResets, icmpDestinationUnreachable = p.Errors.IcmpUnreachable, icmpTimeExceeded = p.Errors.IcmpTimeExceeded },
        udp = new { flows = p.Udp.Flows, answered = p.Udp.Answered, unanswered = p.Udp.Unanswered, untracked = p.Udp.Untracked, active = p.Udp.Active },
        tls = new
        {
            clientHellos = p.App.ClientHellos, serverHellos = p.App.ServerHellos, serverNames = p.App.ServerNames, unanswered = p.App.TlsUnanswered,
            latencySeconds = p.TlsLatency,
        },
        http = new
        {
            requests = p.App.HttpRequests, responses = p.App.HttpResponses, serverErrors = p.App.HttpServerErrors, unanswered = p.App.HttpUnanswered,
            latencySeconds = p.HttpLatency,
        },
        messages = p.Messages,
        versions = p.Versions,
    };

    private static string[] Rates(RateSet r) => [Csv.Number(r.Now.RxBps), Csv.Number(r.Now.TxBps), Csv.Number(r.Avg1m.RxBps), Csv.Number(r.Avg1m.TxBps),
        Csv.Number(r.Avg5m.RxBps), Csv.Number(r.Avg5m.TxBps), Csv.Number(r.Avg15m.RxBps), Csv.Number(r.Avg15m.TxBps)];

    /// <summary>
    /// One row per socket state, per kernel counter and per capture's handshake figure:
    /// <c>kind,protocol,name,value,perSecond</c> (handshakes: kind <c>handshake</c>, protocol the interface).
    /// </summary>
    private static string ToCsv(SocketScan scan, IReadOnlyList<CaptureHandshakes> handshakes)
    {
        // One row per figure; each column means one thing in every row (empty where it does not apply).
        var csv = new StringBuilder(Csv.Row("kind", "interface", "nic", "protocol", "name", "value", "perSecond"));
        foreach (var h in handshakes)
        {
            foreach (var (name, value) in new (string, double?)[] { ("attempts", h.Attempts), ("successes", h.Successes), ("failures", h.Failures),
                ("refused", h.Refused), ("timedOut", h.TimedOut), ("errorRate", h.ErrorRate), ("setupMeanSeconds", h.SetupSeconds.Mean),
                ("setupP50Seconds", h.SetupSeconds.P50), ("setupP95Seconds", h.SetupSeconds.P95) })
                csv.Append(Csv.Row("handshake", Csv.Field(h.Interface), Csv.Field(h.Nic ?? ""), "tcp", name, Csv.Number(value), ""));
            foreach (var w in h.Nics)
            {
                foreach (var (name, value) in new (string, double?)[] { ("attempts", w.Attempts), ("successes", w.Successes), ("refused", w.Refused),
                    ("timedOut", w.TimedOut), ("errorRate", w.ErrorRate) })
                    csv.Append(Csv.Row("handshake_wan", Csv.Field(h.Interface), Csv.Field(w.Nic), "tcp", name, Csv.Number(value), ""));
            }
        }
        foreach (var s in scan.Sockets)
            csv.Append(Csv.Row("socket", "", "", s.Protocol, s.State, Csv.Number(s.Count), ""));
        foreach (var c in scan.Counters)
            csv.Append(Csv.Row("kernel", "", "", "", c.Name, Csv.Number(c.Value), Csv.Number(c.PerSecond)));
        return csv.ToString();
    }
}
