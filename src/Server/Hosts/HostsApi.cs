using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Tcp;
using RoutingFlow.Server.History;
using RoutingFlow.Server.Hosting;

namespace RoutingFlow.Server.Hosts;

/// <summary>
/// <c>GET /api/hosts/{ip}?from&amp;to&amp;format=json|csv</c> (default: the last hour): one host's report (<see cref="HostReport"/>);
/// CSV is its stored minutes. <c>GET /api/hosts?q=&amp;limit=</c>: hosts by address or by a part of their name.
/// </summary>
public static class HostsApi
{
    public static void MapHostsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/hosts");
        api.MapGet("", SearchAsync)
            .Query("q", ParamKind.Text, "an IP address or a part of a host's name", required: true)
            .Query("limit", ParamKind.Integer, "how many hosts (default 20)", min: 1, max: 1000)
            .Produces<HostSearchResponse>(200).Validated().WithDescription("Hosts by address or by a part of their name.");
        api.MapGet("/{ip}", GetAsync)
            .Query("from", ParamKind.Time, "start of the range (ISO 8601 or Unix seconds; default an hour before to)")
            .Query("to", ParamKind.Time, "end of the range (ISO 8601 or Unix seconds; default now)")
            .Query("nic", ParamKind.Text, "a WAN's name as declared").Query("router", ParamKind.Text, "a router's label (at most 256 characters)").Format()
            .Produces<HostResponse>(200).Produces(200, contentType: "text/csv").Validated().ProducesProblem(503)
            .WithDescription("One host's report: bytes per WAN, its minutes, incidents, live rates, TCP flows, devices' counters.");
    }

    public static async Task<IResult> GetAsync(string ip, HttpContext context, HostQueries hosts, RouterLayout layout, TimeProvider time)
    {
        if (!HostAddress.TryParse(ip, out var address))
            return ApiProblems.Invalid("ip", $"ip '{ip}' is not an IPv4 or IPv6 address");
        if (!HistoryQuery.TryParse(context.Request.Query, layout, time.GetUtcNow(), TimeSpan.FromHours(1), out var query, out var error))
            return ApiProblems.Invalid(error.Value);
        if (!hosts.Ready)
            return ApiProblems.DatabaseUnavailable();
        var report = await hosts.ReportAsync(address, query.From, query.To, context.RequestAborted);
        if (!query.Csv)
            return TypedResults.Ok(Dto(report));
        await Streaming.CsvAsync(context.Response, $"host-{report.Ip.Replace(':', '-')}.csv", Csv.Row("time", "nic", "rxBytes", "txBytes", "rxBps", "txBps", "name"),
            report.Minutes.ToAsyncEnumerable(),
            m => Csv.Row(Csv.Time(m.Time), Csv.Field(m.Nic), Csv.Number(m.RxBytes), Csv.Number(m.TxBytes), Csv.Number(Math.Round(m.RxBytes * 8 / 60.0)),
                Csv.Number(Math.Round(m.TxBytes * 8 / 60.0)), Csv.Field(m.Name ?? "")),
            context.RequestAborted);
        return TypedResults.Empty;
    }

    public static async Task<IResult> SearchAsync(HttpContext context, HostQueries hosts)
    {
        var q = context.Request.Query["q"].ToString();
        if (q.Trim().Length == 0)
            return ApiProblems.Invalid("q", "q is required: an IP address or a part of a host's name");
        if (!HistoryQuery.TryInt(context.Request.Query, "limit", 20, 1, 1000, out var limit, out var error))
            return ApiProblems.Invalid(error.Value);
        return TypedResults.Ok(new HostSearchResponse(q.Trim(), await hosts.SearchAsync(q, limit, context.RequestAborted)));
    }

    public static HostResponse Dto(HostReport r) => new(r.Ip, r.Name, r.Names, r.From.UtcDateTime, r.To.UtcDateTime, r.RxBytes, r.TxBytes, r.Wans,
        r.Minutes.Select(m => new HostMinuteDto(m.Time.UtcDateTime, m.Nic, m.RxBytes, m.TxBytes, m.RxBytes * 8 / 60.0, m.TxBytes * 8 / 60.0)).ToList(),
        r.Incidents, r.Live, r.Flows, r.Devices);
}

/// <summary>GET /api/hosts/{ip}: bytes over the range (per WAN with its share), the stored minutes as rates, incidents, live rates, TCP flows and the attached devices' counters for them.</summary>
public sealed record HostResponse(string Ip, string? Name, IReadOnlyList<string> Names, DateTime From, DateTime To, long RxBytes, long TxBytes,
    IReadOnlyList<HostWan> Wans, IReadOnlyList<HostMinuteDto> Minutes, IReadOnlyList<HostIncident> Incidents, IReadOnlyList<HostLive> Live,
    IReadOnlyList<TcpFlowRow> Flows, IReadOnlyList<HostDevice> Devices);

/// <summary>One stored minute of a host on a WAN: bytes and the mean rates they make (bit/s).</summary>
public sealed record HostMinuteDto(DateTime Time, string Nic, long RxBytes, long TxBytes, double RxBps, double TxBps);

public sealed record HostSearchResponse(string Query, IReadOnlyList<HostMatch> Hosts);
