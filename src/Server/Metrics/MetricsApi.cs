using RoutingFlow.Server.Hosting;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Prometheus;

namespace RoutingFlow.Server.Metrics;

/// <summary>
/// <c>GET /metrics</c>: the Prometheus text format, or OpenMetrics when the scraper asks for it (Prometheus does),
/// gzip-compressed when the scraper accepts it; served from <see cref="MetricsExposition"/>'s buffer.
/// </summary>
public static class MetricsApi
{
    public const string TextContentType = "text/plain; version=0.0.4; charset=utf-8";
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    public static void MapMetricsApi(this WebApplication app) => app.MapMethods("/metrics", ["GET", "HEAD"], ServeAsync)
        .Produces<string>(200, "text/plain", "application/openmetrics-text").WithDescription("Prometheus exposition (OpenMetrics when asked; gzip when accepted).");

    private static async Task ServeAsync(HttpContext context, MetricsExposition exposition)
    {
        var openMetrics = Accepts(context.Request.Headers.Accept, "application/openmetrics-text");
        var built = await exposition.GetAsync(openMetrics ? ExpositionFormat.OpenMetricsText : ExpositionFormat.PrometheusText, context.RequestAborted);
        var gzip = Accepts(context.Request.Headers.AcceptEncoding, "gzip");
        var body = gzip ? built.Gzip : built.Body;
        var response = context.Response;
        response.ContentType = openMetrics ? OpenMetricsContentType : TextContentType;
        response.Headers.Vary = new StringValues([HeaderNames.Accept, HeaderNames.AcceptEncoding]);
        if (gzip)
            response.Headers.ContentEncoding = "gzip";
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
            await response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>Whether a header's list names <paramref name="value"/> with a quality above 0.</summary>
    public static bool Accepts(StringValues header, string value)
    {
        foreach (var line in header)
        {
            foreach (var item in (line ?? "").Split(','))
            {
                var parts = item.Split(';');
                if (!parts[0].Trim().Equals(value, StringComparison.OrdinalIgnoreCase))
                    continue;
                var q = parts.Skip(1).Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("q=", StringComparison.OrdinalIgnoreCase));
                if (q is null || !double.TryParse(q[2..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var quality) || quality > 0)
                    return true;
            }
        }
        return false;
    }
}
