using RoutingFlow.Server.Hosting;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Storage;

namespace RoutingFlow.Server.History;

/// <summary>
/// <c>GET /api/history?nic&amp;router&amp;from&amp;to&amp;resolution=raw|1m&amp;format=json|csv</c>: capacity and actual traffic per WAN
/// (per second, or per minute with min/max; default: raw up to 6 hours, 1m beyond; default range: the last hour), each
/// point naming its router (empty: this one; <c>router</c> absent: every router's, as the fleet monitor stored them).
/// <c>GET /api/history/ips?nic&amp;router&amp;from&amp;to&amp;top=N&amp;format</c>: a WAN's busiest IPs over the range (this router's
/// unless <c>router</c> names a watched one).
/// </summary>
public static class HistoryApi
{
    private static readonly TimeSpan RawUpTo = TimeSpan.FromHours(6);

    public static void MapHistoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/history");
        api.MapGet("", GetAsync).HistoryRange()
            .Query("resolution", ParamKind.Choice, "raw (per second) or 1m (per minute with min/max); default raw up to 6 hours, 1m beyond", values: ["raw", "1m"])
            .Produces(200, null, "application/json", "text/csv").Validated().ProducesProblem(503)
            .WithDescription("Capacity and traffic per WAN over time: {nic,router,from,to,resolution,events:[…],points:[{nic,router,time,capacityRxBps,capacityTxBps,rxBps,txBps,…}]}; CSV with format=csv.");
        api.MapGet("/ips", IpsAsync).HistoryRange(nicRequired: true)
            .Query("top", ParamKind.Integer, "how many IPs (default 10, at most Storage:TopIpsPerMinute)", min: 1)
            .Produces<IpHistoryResponse>(200).Produces(200, contentType: "text/csv").Validated().ProducesProblem(503)
            .WithDescription("A WAN's busiest IPs over the range.");
    }

    public static async Task<IResult> GetAsync(HttpContext context, HistoryQueries queries, RouterLayout layout, TimeProvider time)
    {
        if (!HistoryQuery.TryParse(context.Request.Query, layout, time.GetUtcNow(), TimeSpan.FromHours(1), out var query, out var error))
            return ApiProblems.Invalid(error.Value);
        var resolution = context.Request.Query.TryGetValue("resolution", out var r) ? r.ToString() : query.To - query.From <= RawUpTo ? "raw" : "1m";
        if (resolution is not ("raw" or "1m"))
            return ApiProblems.Invalid("resolution", $"resolution '{resolution}' is not raw or 1m");
        if (!queries.Ready)
            return ApiProblems.DatabaseUnavailable();
        var points = resolution == "raw"
            ? queries.RawAsync(query.Nic, query.From, query.To, context.RequestAborted, query.Router)
            : queries.MinutesAsync(query.Nic, query.From, query.To, context.RequestAborted, query.Router);
        if (query.Csv)
        {
            await Streaming.CsvAsync(context.Response, $"history-{resolution}.csv", HistoryWriters.PointHeader, points, HistoryWriters.CsvRow, context.RequestAborted);
            return TypedResults.Empty;
        }
        List<HistoryEvent> events = query.Router is { Length: > 0 } ? [] : await queries.EventsAsync(query.Nic, query.From, query.To, context.RequestAborted); // this router's own changes
        await Streaming.JsonAsync(context.Response, json => Head(json, query, resolution, events), "points", points, HistoryWriters.Write, context.RequestAborted);
        return TypedResults.Empty;
    }

    public static async Task<IResult> IpsAsync(HttpContext context, HistoryQueries queries, RouterLayout layout, Storage.StorageOptions storage, TimeProvider time)
    {
        if (!HistoryQuery.TryParse(context.Request.Query, layout, time.GetUtcNow(), TimeSpan.FromHours(1), out var query, out var error))
            return ApiProblems.Invalid(error.Value);
        if (query.Nic is null)
            return ApiProblems.Invalid("nic", $"nic is required (one of {layout.DeclaredNics})");
        if (!HistoryQuery.TryInt(context.Request.Query, "top", 10, 1, storage.TopIpsPerMinute, out var top, out error))
            return ApiProblems.Invalid(error.Value);
        if (!queries.Ready)
            return ApiProblems.DatabaseUnavailable();
        var ips = await queries.TopIpsAsync(query.Nic, query.From, query.To, top, context.RequestAborted, query.Router ?? "");
        var seconds = Math.Max(1, (query.To - query.From).TotalSeconds);
        if (query.Csv)
        {
            await Streaming.CsvAsync(context.Response, "history-ips.csv", Csv.Row("nic", "ip", "rxBytes", "txBytes", "rxBps", "txBps"), ips.ToAsyncEnumerable(),
                ip => Csv.Row(query.Nic, Csv.Field(ip.Ip), Csv.Number(ip.RxBytes), Csv.Number(ip.TxBytes), Csv.Number(ip.RxBytes * 8 / seconds), Csv.Number(ip.TxBytes * 8 / seconds)),
                context.RequestAborted);
            return TypedResults.Empty;
        }
        return TypedResults.Ok(new IpHistoryResponse(query.Nic, query.From.UtcDateTime, query.To.UtcDateTime,
            ips.Select(ip => new IpHistoryDto(ip.Ip, ip.RxBytes, ip.TxBytes, ip.RxBytes * 8 / seconds, ip.TxBytes * 8 / seconds)).ToList()));
    }

    private static void Head(System.Text.Json.Utf8JsonWriter json, HistoryQuery query, string resolution, List<HistoryEvent> events)
    {
        if (query.Nic is not null)
            json.WriteString("nic", query.Nic);
        if (query.Router is not null)
            json.WriteString("router", query.Router);
        json.WriteString("from", query.From.UtcDateTime);
        json.WriteString("to", query.To.UtcDateTime);
        json.WriteString("resolution", resolution);
        json.WriteStartArray("events");
        foreach (var e in events)
            HistoryWriters.Write(json, e);
        json.WriteEndArray();
    }

}

/// <summary>GET /api/history/ips: a WAN's busiest IPs over the range, bytes and average rates (bits/s).</summary>
public sealed record IpHistoryResponse(string Nic, DateTime From, DateTime To, IReadOnlyList<IpHistoryDto> Ips);

public sealed record IpHistoryDto(string Ip, long RxBytes, long TxBytes, double RxBps, double TxBps);
