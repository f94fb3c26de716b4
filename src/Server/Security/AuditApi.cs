using RoutingFlow.Server.Hosting;

namespace RoutingFlow.Server.Security;

/// <summary><c>GET /api/audit?limit=N</c> (1–1000, default 100): the state changes of this run, newest first.</summary>
public static class AuditApi
{
    public static void MapAuditApi(this IEndpointRouteBuilder app) => app.MapGet("/api/audit", Get)
        .Query("limit", ParamKind.Integer, "how many entries (default 100)", min: 1, max: AuditLog.Capacity)
        .Produces<AuditResponse>(200).Validated().WithDescription("The state changes and attempts of this run, newest first: who, from, what, status, result.");

    public static IResult Get(HttpContext context, AuditLog audit)
    {
        if (!History.HistoryQuery.TryInt(context.Request.Query, "limit", 100, 1, AuditLog.Capacity, out var limit, out var error))
            return ApiProblems.Invalid(error.Value);
        return TypedResults.Ok(new AuditResponse(audit.Entries(limit)));
    }
}

public sealed record AuditResponse(IReadOnlyList<AuditEntry> Entries);
