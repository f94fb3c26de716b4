using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace RoutingFlow.Server.Hosting;

/// <summary>What a query parameter holds, as the OpenAPI document states it (and the hostile-input test reads it).</summary>
public enum ParamKind { Text, Integer, Number, Time, Choice }

/// <summary>
/// The REST API's OpenAPI document (ASP.NET Core's built-in generator) at <c>/openapi/v1.json</c>. Most handlers read
/// their query themselves (to name a bad field in a problem detail), so each endpoint declares its query parameters with
/// <see cref="Query"/> and its answers with <c>Produces</c>; the dashboard's pages, its circuit and static files are
/// left out.
/// </summary>
public static class ApiDocs
{
    public const string DocumentPath = "/openapi/v1.json";

    public static void AddApiDocs(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.ShouldInclude = d => d.RelativePath is { } path && IsApi(path);
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "RoutingFlow",
                Version = "v1",
                Description = "The REST API of a RoutingFlow server. Reads that name hosts need the API key from beyond loopback " +
                    "(X-Api-Key or Authorization: Bearer) unless Security:PublicReads; state changes need it always from beyond loopback. " +
                    "Errors under /api are RFC 9457 problem details naming the field; the original tools' paths keep their texts.",
            };
            return Task.CompletedTask;
        });
    });

    public static void MapApiDocs(this WebApplication app) => app.MapOpenApi(DocumentPath.Replace("v1", "{documentName}", StringComparison.Ordinal));

    /// <summary>The paths the document covers: the REST API and the original tools' endpoints, not pages or the circuit.</summary>
    public static bool IsApi(string relativePath) =>
        relativePath.StartsWith("api/", StringComparison.Ordinal) || relativePath is "api" or "status" or "healthz" or "metrics" or "tcpflow"
        || relativePath.StartsWith("traffic_", StringComparison.Ordinal);

    /// <summary>Declares a query parameter the handler reads itself.</summary>
    public static RouteHandlerBuilder Query(this RouteHandlerBuilder builder, string name, ParamKind kind, string description,
        bool required = false, string[]? values = null, long? min = null, long? max = null) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var bound in operation.Parameters.Where(p => p.Name == name).ToList()) // a parameter the handler binds: described here instead
                operation.Parameters.Remove(bound);
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Description = description,
                Required = required,
                Schema = Schema(kind, values, min, max),
            });
            return Task.CompletedTask;
        });

    /// <summary>The query parameters of every history-shaped read (<see cref="History.HistoryQuery"/>).</summary>
    public static RouteHandlerBuilder HistoryRange(this RouteHandlerBuilder builder, bool nicRequired = false) => builder
        .Query("nic", ParamKind.Text, "a WAN's name as declared (nic.json or Mapping:Nics)", nicRequired)
        .Query("router", ParamKind.Text, "absent: every router's; empty: this router's; a label: that watched router's (at most 256 characters)")
        .Query("from", ParamKind.Time, "start of the range (ISO 8601 such as 2026-12-01T12:00:00Z, or Unix seconds)")
        .Query("to", ParamKind.Time, "end of the range (ISO 8601 or Unix seconds; default now)")
        .Format();

    /// <summary><c>format=json|csv</c>.</summary>
    public static RouteHandlerBuilder Format(this RouteHandlerBuilder builder) =>
        builder.Query("format", ParamKind.Choice, "json (default) or csv", values: ["json", "csv"]);

    /// <summary>A 400 naming the field (problem details), the answers every validated <c>/api</c> read may give.</summary>
    public static RouteHandlerBuilder Validated(this RouteHandlerBuilder builder) =>
        builder.ProducesValidationProblem();

    private static OpenApiSchema Schema(ParamKind kind, string[]? values, long? min, long? max)
    {
        var schema = kind switch
        {
            ParamKind.Integer => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ParamKind.Number => new OpenApiSchema { Type = JsonSchemaType.Number, Format = "double" },
            ParamKind.Time => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
            _ => new OpenApiSchema { Type = JsonSchemaType.String },
        };
        if (values is not null)
            schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
        if (min is not null)
            schema.Minimum = min.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (max is not null)
            schema.Maximum = max.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return schema;
    }
}
