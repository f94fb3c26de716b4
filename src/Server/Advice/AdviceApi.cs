namespace RoutingFlow.Server.Advice;

/// <summary>
/// <c>GET /api/advice</c>: the current rebalancing plan, <c>{"at","fits","text","moves":[{"target","from","to","rxBps","txBps"}],
/// "wans":[{"nic","utilizationBefore","utilizationAfter"}]}</c> (an empty plan when nothing is over).
/// </summary>
public static class AdviceApi
{
    public static void MapAdviceApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/advice", (AdviceQueries advice) => TypedResults.Ok(advice.Current()));
}
