using System.Text.Json;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Hosting;
using RoutingFlow.Server.Mapping;
using RoutingFlow.Server.Storage;

namespace RoutingFlow.Server.Advice;

/// <summary>
/// <c>GET /api/advice</c>: the current rebalancing plan, <c>{"at","fits","text","moves":[{"target","from","to","rxBps","txBps"}],
/// "wans":[{"nic","utilizationBefore","utilizationAfter"}]}</c> (an empty plan when nothing is over).
/// <c>POST /api/advice/apply</c> (<c>{"moves":[…]}</c> as listed; no body: the current plan) writes the moves as mapping
/// overrides, in effect at once and kept; <c>GET</c>/<c>DELETE /api/advice/overrides</c>; <c>GET /api/advice/applied</c>:
/// every apply and removal, who and when. State changes follow the API-key rule.
/// </summary>
public static class AdviceApi
{
    public static void MapAdviceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/advice");
        api.MapGet("", (AdviceQueries advice) => TypedResults.Ok(advice.Current())).WithDescription("The current rebalancing plan (empty when nothing is over).");
        api.MapPost("/apply", ApplyAsync).Accepts<ApplyRequest>("application/json")
            .Produces<ApplyResponse>(200).Validated().WithDescription("Write the moves (the body's, or the current plan's when there is no body) as mapping overrides (state change).");
        api.MapGet("/overrides", (MappingOverrides overrides) => TypedResults.Ok(new OverridesResponse(overrides.Current, overrides.Error))).WithDescription("The mapping overrides in force.");
        api.MapDelete("/overrides", Clear).Produces<OverridesResponse>(200).WithDescription("Remove every override (state change).");
        api.MapGet("/applied", AppliedAsync).Produces<AppliedResponse>(200).ProducesProblem(503).WithDescription("The moves applied in the last 90 days.");
    }

    public static async Task<IResult> ApplyAsync(HttpContext context, AdviceQueries advice, RouterLayout layout, AdviceApplier applier)
    {
        var (moves, error) = await MovesAsync(context.Request, advice);
        if (error is { } bad)
            return ApiProblems.Invalid(bad);
        for (var i = 0; i < moves.Count; i++)
        {
            if (MappingOverrides.Network(moves[i].Target) is null)
                return ApiProblems.Invalid($"moves[{i}].target", $"moves[{i}].target '{moves[i].Target}' is not an IP address or a CIDR");
            if (!layout.IsWan(moves[i].To))
                return ApiProblems.Invalid($"moves[{i}].to", $"moves[{i}].to '{moves[i].To}' is not a WAN (declared: {layout.DeclaredNics})");
        }
        if (moves.Count == 0)
            return ApiProblems.Invalid("moves", "nothing to apply: the body lists no moves and the current plan has none");
        var outcome = await applier.ApplyAsync(moves, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", context.RequestAborted);
        return TypedResults.Ok(new ApplyResponse(outcome.Applied, outcome.Overrides, outcome.Error, outcome.Forwarded));
    }

    public static IResult Clear(HttpContext context, AdviceApplier applier)
    {
        var (overrides, error) = applier.Clear(context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return TypedResults.Ok(new OverridesResponse(overrides, error));
    }

    public static async Task<IResult> AppliedAsync(HistoryQueries history, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!history.Ready)
            return ApiProblems.DatabaseUnavailable();
        var now = time.GetUtcNow();
        var events = await history.EventsAsync(null, now.AddDays(-90), now, cancellationToken);
        return TypedResults.Ok(new AppliedResponse(events.Where(e => e.Kind == AdviceApplier.Kind).Select(e => new AppliedDto(e.Time.UtcDateTime, e.Text)).ToList()));
    }

    /// <summary>A move's rate, when given, is a finite number of bits per second, not negative.</summary>
    private static FieldError? BadRate(double? bps, string field) =>
        bps is null or (>= 0 and < double.PositiveInfinity) ? null : new FieldError(field, $"{field} must be a number of bits per second from 0 (not {bps})");

    /// <summary>The body's moves, or the current plan's when there is no body.</summary>
    private static async Task<(List<PlanMove> Moves, FieldError? Error)> MovesAsync(HttpRequest request, AdviceQueries advice)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        if (body.Trim().Length == 0)
            return ([.. advice.Current().Moves], null);
        try
        {
            var parsed = JsonSerializer.Deserialize<ApplyRequest>(body, JsonSerializerOptions.Web);
            if (parsed?.Moves is null)
                return ([], new FieldError("moves", "moves is missing: send {\"moves\":[{\"target\",\"to\"}…]} as GET /api/advice lists them, or no body for the current plan"));
            for (var i = 0; i < parsed.Moves.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(parsed.Moves[i].Target))
                    return ([], new FieldError($"moves[{i}].target", $"moves[{i}].target is missing"));
                if (string.IsNullOrWhiteSpace(parsed.Moves[i].To))
                    return ([], new FieldError($"moves[{i}].to", $"moves[{i}].to is missing"));
                if ((BadRate(parsed.Moves[i].RxBps, $"moves[{i}].rxBps") ?? BadRate(parsed.Moves[i].TxBps, $"moves[{i}].txBps")) is { } rate)
                    return ([], rate);
            }
            return ([.. parsed.Moves.Select(m => new PlanMove(m.Target!, m.From ?? "", m.To!, m.RxBps ?? 0, m.TxBps ?? 0))], null);
        }
        catch (JsonException e) when (e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal))
        {
            var field = path[2..];
            return ([], new FieldError(field, $"{field} is not what GET /api/advice lists there (a string for target, from and to; a number for rxBps and txBps)"));
        }
        catch (JsonException e)
        {
            return ([], new FieldError("moves", $"the body is not JSON in GET /api/advice's shape: {e.Message}"));
        }
    }

}

/// <summary>The body of <c>POST /api/advice/apply</c>: moves as <c>GET /api/advice</c> lists them (target and to required).</summary>
public sealed record ApplyRequest(List<MoveRequest>? Moves);

public sealed record MoveRequest(string? Target, string? From, string? To, double? RxBps, double? TxBps);

public sealed record ApplyResponse(IReadOnlyList<MappingOverride> Applied, IReadOnlyList<MappingOverride> Overrides, string? Error, ForwardResult Forwarded);

public sealed record OverridesResponse(IReadOnlyList<MappingOverride> Overrides, string? Error);

public sealed record AppliedResponse(IReadOnlyList<AppliedDto> Applied);

public sealed record AppliedDto(DateTime Time, string Text);
