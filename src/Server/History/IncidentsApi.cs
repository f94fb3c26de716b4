using RoutingFlow.Server.Hosting;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Fleet;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage;

namespace RoutingFlow.Server.History;

/// <summary>
/// <c>GET /api/incidents?from&amp;to&amp;nic&amp;router&amp;format=json|csv</c> (default: every incident), <c>GET /api/incidents/{id}</c>,
/// <c>DELETE /api/incidents/{id}</c> (state-changing: the API-key rule applies). Read through <see cref="IncidentSource"/>.
/// </summary>
public static class IncidentsApi
{
    public static void MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/incidents");
        api.MapGet("", ListAsync).HistoryRange().Produces(200, null, "application/json", "text/csv").Validated().ProducesProblem(503)
            .WithDescription("Incidents (this router's and the fleet's), newest first: {\"incidents\":[{id,nic,router,state,startedAt,endedAt,peakUtilization,culprits,diagnosis,advice…}]}; CSV with format=csv.");
        api.MapGet("/{id}", GetAsync).Produces(200, contentType: "application/json").Validated().ProducesProblem(404)
            .WithDescription("One incident, as the list gives it.");
        api.MapDelete("/{id}", DeleteAsync).Produces(204).Validated().ProducesProblem(404).ProducesProblem(409).ProducesProblem(503)
            .WithDescription("Forget an incident that has ended (state change).");
    }

    /// <summary>
    /// <c>router</c>: absent, every incident (this router's and the fleet's); empty, this router's only; a router's
    /// label, that watched router's (its WANs are its own: <c>nic</c> is not checked against this router's).
    /// </summary>
    public static async Task<IResult> ListAsync(HttpContext context, HistoryQueries queries, MonitorState monitor, FleetState fleet, RouterLayout layout, TimeProvider time)
    {
        if (!HistoryQuery.TryParse(context.Request.Query, layout, time.GetUtcNow(), TimeSpan.FromDays(36_500), out var query, out var error))
            return ApiProblems.Invalid(error.Value);
        var incidents = IncidentSource.MergedAsync(queries, monitor, fleet, query.Router, query.From, query.To, query.Nic, context.RequestAborted);
        if (query.Csv)
            await Streaming.CsvAsync(context.Response, "incidents.csv", HistoryWriters.IncidentHeader, incidents, HistoryWriters.CsvRow, context.RequestAborted);
        else
            await Streaming.JsonAsync(context.Response, _ => { }, "incidents", incidents, HistoryWriters.Write, context.RequestAborted);
        return TypedResults.Empty;
    }

    public static async Task<IResult> GetAsync(string id, HttpContext context, HistoryQueries queries, MonitorState monitor, FleetState fleet) =>
        ParseId(id, out var number) is { } bad ? bad : await FindAsync(number, context, queries, monitor, fleet);

    public static async Task<IResult> DeleteAsync(string id, HttpContext context, HistoryQueries queries, MonitorState monitor) =>
        ParseId(id, out var number) is { } bad ? bad : await ForgetAsync(number, context, queries, monitor);

    /// <summary>An incident's id from the path: a 400 naming <c>id</c> for anything but a whole number.</summary>
    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem? ParseId(string text, out long id) =>
        long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out id) ? null
            : ApiProblems.Invalid("id", $"id '{text}' is not an incident's id (a whole number)");

    private static async Task<IResult> FindAsync(long id, HttpContext context, HistoryQueries queries, MonitorState monitor, FleetState fleet)
    {
        var incident = fleet.Incidents().FirstOrDefault(i => i.Id == id) ?? await IncidentSource.FindAsync(queries, monitor, id, context.RequestAborted);
        if (incident is null)
            return ApiProblems.NotFound($"no incident {id}");
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new System.Text.Json.Utf8JsonWriter(context.Response.Body);
        HistoryWriters.Write(json, incident);
        await json.FlushAsync(context.RequestAborted);
        return TypedResults.Empty;
    }

    private static async Task<IResult> ForgetAsync(long id, HttpContext context, HistoryQueries queries, MonitorState monitor)
    {
        if (monitor.Incident(id) is { IsOpen: true })
            return ApiProblems.Conflict($"incident {id} is still open; it can be deleted once it has ended");
        if (!queries.Ready)
            return ApiProblems.DatabaseUnavailable();
        var deleted = await queries.DeleteIncidentAsync(id, context.RequestAborted) | monitor.Forget(id);
        return deleted ? TypedResults.NoContent() : ApiProblems.NotFound($"no incident {id}");
    }
}
