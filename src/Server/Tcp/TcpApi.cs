using RoutingFlow.Server.Hosting;
using RoutingFlow.Capture.Tcp;
using RoutingFlow.Server.History;

namespace RoutingFlow.Server.Tcp;

/// <summary><c>GET /api/tcp/summary</c> and <c>GET /api/tcp/flows?top=N&amp;sort=loss|bytes|window</c> (defaults 20, loss).</summary>
public static class TcpApi
{
    public const int DefaultTop = 20;
    private static readonly string[] Sorts = ["loss", "bytes", "window"];

    public static void MapTcpApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tcp");
        api.MapGet("/summary", (TcpQueries tcp) => TypedResults.Ok(tcp.Summary())).WithDescription("TCP health per capture: retransmissions, loss, RTT, windows.");
        api.MapGet("/flows", FlowsAsync)
            .Query("top", ParamKind.Integer, $"how many flows (default {DefaultTop})", min: 1, max: TcpAnalyzer.TopListLength)
            .Query("sort", ParamKind.Choice, "loss (default), bytes or window", values: Sorts)
            .Produces<object>(200).Validated().WithDescription("The worst (or busiest) TCP flows now.");
    }

    public static async Task<IResult> FlowsAsync(HttpContext context, TcpQueries tcp)
    {
        if (!HistoryQuery.TryInt(context.Request.Query, "top", DefaultTop, 1, TcpAnalyzer.TopListLength, out var top, out var error))
            return ApiProblems.Invalid(error.Value);
        var sort = context.Request.Query.TryGetValue("sort", out var text) ? text.ToString() : "loss";
        if (!Sorts.Contains(sort, StringComparer.OrdinalIgnoreCase))
            return ApiProblems.Invalid("sort", $"sort '{sort}' is not {string.Join(", ", Sorts)}");
        return TypedResults.Ok(await tcp.FlowsAsync(top, sort, context.RequestAborted));
    }
}
