using Microsoft.AspNetCore.Http.HttpResults;

namespace RoutingFlow.Server.Hosting;

/// <summary>A request field that is not valid, and the rule it breaks.</summary>
public readonly record struct FieldError(string Field, string Message);

/// <summary>
/// The one error dialect of the <c>/api</c> endpoints: RFC 9457 problem details (<c>application/problem+json</c>),
/// a 400's <c>errors</c> naming each bad field with the rule it breaks. The original tools' endpoints
/// (<c>/tcpflow</c>, <c>/traffic_count_attach_device</c>, <c>/traffic_device_connection_stats</c>) keep their texts.
/// </summary>
public static class ApiProblems
{
    public const string ContentType = "application/problem+json";

    public static ValidationProblem Invalid(FieldError error) => Invalid(error.Field, error.Message);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message,
            title: "A request value is not valid");

    public static ProblemHttpResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Not found", detail);

    public static ProblemHttpResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, "Conflict", detail);

    public static ProblemHttpResult Unavailable(string detail) => Problem(StatusCodes.Status503ServiceUnavailable, "Unavailable", detail);

    /// <summary>The history database is not open (yet, or any more): what every history read answers then.</summary>
    public static ProblemHttpResult DatabaseUnavailable() => Unavailable("the database is not available (see /status storage)");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);

    /// <summary>
    /// Problem details for what the framework answers on its own under <c>/api</c> (an unknown path or a route that
    /// does not match, such as <c>/api/incidents/abc</c>; an unhandled exception), so no API answer is an empty body.
    /// A request the server cannot take as sent (a body past <c>Kestrel:Limits:MaxRequestBodySize</c>, a body cut off)
    /// keeps its own status (413, 400) with the reason, and is not logged as a failure of the server.
    /// </summary>
    public static void UseApiProblems(this WebApplication app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api =>
        {
            api.UseExceptionHandler(new ExceptionHandlerOptions
            {
                StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
                SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException,
            });
            api.UseStatusCodePages();
        });

    /// <summary>Problem details that say why a request was refused as sent (the limit and its setting).</summary>
    public static void AddApiProblems(this IServiceCollection services) => services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
    {
        if (c.Exception is BadHttpRequestException bad)
        {
            c.ProblemDetails.Title = "The request cannot be taken as sent";
            c.ProblemDetails.Detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? $"{bad.Message} (Kestrel:Limits:MaxRequestBodySize)" : bad.Message;
        }
    });
}
