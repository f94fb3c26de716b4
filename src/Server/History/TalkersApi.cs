using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Hosting;
using RoutingFlow.Server.Storage;

namespace RoutingFlow.Server.History;

/// <summary>One host over a range: the bytes it carried each way and the mean rates they make over the range.</summary>
public sealed record TalkerDto(string Ip, string? Name, long RxBytes, long TxBytes, double RxBps, double TxBps);

public sealed record TalkersResponse(string? Nic, DateTime From, DateTime To, string Direction, IReadOnlyList<TalkerDto> Talkers);

/// <summary>
/// <c>GET /api/talkers?from&amp;to&amp;nic&amp;direction&amp;top&amp;format</c>: who used the line over any range (default: the
/// last hour), from the stored per-minute top IPs of each WAN (<c>Storage:TopIpsPerMinute</c> per WAN and minute;
/// <c>Storage:IpRetention</c>), on one WAN or summed over all, ranked by rx, tx or total; this router's hosts, or with
/// <c>router</c> a watched router's (estimated by the fleet monitor from its top IPs' rates).
/// </summary>
public static class TalkersApi
{
    public static readonly string[] Directions = ["total", "rx", "tx"];

    public static void MapTalkersApi(this IEndpointRouteBuilder app) => app.MapGet("/api/talkers", GetAsync).HistoryRange()
        .Query("direction", ParamKind.Choice, "total (default), rx or tx", values: Directions)
        .Query("top", ParamKind.Integer, "how many hosts (default 20)", min: 1, max: 1000)
        .Produces<TalkersResponse>(200).Produces(200, contentType: "text/csv").Validated().ProducesProblem(503)
        .WithDescription("The hosts that moved the most bytes over the range, with their names.");

    public static async Task<IResult> GetAsync(HttpContext context, HistoryQueries queries, RouterLayout layout, RoutingFlow.Capture.Protocols.NameCache names,
        TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (!HistoryQuery.TryParse(context.Request.Query, layout, now, TimeSpan.FromHours(1), out var query, out var error))
            return ApiProblems.Invalid(error.Value);
        var direction = context.Request.Query.TryGetValue("direction", out var d) ? d.ToString() : "total";
        if (!Directions.Contains(direction))
            return ApiProblems.Invalid("direction", $"direction '{direction}' is not {string.Join(", ", Directions)}");
        if (!HistoryQuery.TryInt(context.Request.Query, "top", 20, 1, 1000, out var top, out error))
            return ApiProblems.Invalid(error.Value);
        if (!queries.Ready)
            return ApiProblems.DatabaseUnavailable();
        var talkers = await queries.TalkersAsync(query.Nic, query.From, query.To, direction, top, context.RequestAborted, query.Router ?? "");
        var seconds = Math.Max(1, (query.To - query.From).TotalSeconds);
        var rows = talkers.Select(t => new TalkerDto(t.Ip, t.Name ?? NameOf(names, t.Ip, now), t.RxBytes, t.TxBytes, t.RxBytes * 8 / seconds, t.TxBytes * 8 / seconds)).ToList();
        if (!query.Csv)
            return TypedResults.Ok(new TalkersResponse(query.Nic, query.From.UtcDateTime, query.To.UtcDateTime, direction, rows));
        await Streaming.CsvAsync(context.Response, "talkers.csv", Csv.Row("ip", "name", "rxBytes", "txBytes", "rxBps", "txBps"), rows.ToAsyncEnumerable(),
            r => Csv.Row(Csv.Field(r.Ip), Csv.Field(r.Name ?? ""), Csv.Number(r.RxBytes), Csv.Number(r.TxBytes), Csv.Number(Math.Round(r.RxBps)), Csv.Number(Math.Round(r.TxBps))),
            context.RequestAborted);
        return TypedResults.Empty;
    }

    /// <summary>The name DNS or TLS gave a stored address, as the name cache knows it at <paramref name="now"/> (the API and the page both name talkers this way).</summary>
    public static string? NameOf(RoutingFlow.Capture.Protocols.NameCache names, string ip, DateTimeOffset now) =>
        RoutingFlow.Capture.Addressing.IpAddr.TryParse(ip, out var address) ? names.Lookup(address, now.ToUnixTimeMilliseconds() * 1000) : null;
}
