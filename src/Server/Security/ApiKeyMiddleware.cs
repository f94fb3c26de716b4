using System.Net;
using System.Security.Cryptography;
using System.Text;
using RoutingFlow.Capture.Configuration;

namespace RoutingFlow.Server.Security;

/// <summary>
/// Requests that change state (anything but GET/HEAD/OPTIONS) are accepted from loopback; from elsewhere only with
/// <c>X-Api-Key</c> equal to <c>RoutingFlow:Security:ApiKey</c>, and refused with 403 and the reason otherwise.
/// The dashboard's own circuit traffic (<c>/_blazor</c>) is read-only and exempt.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, RoutingFlowOptions options)
{
    public const string Header = "X-Api-Key";

    public async Task InvokeAsync(HttpContext context)
    {
        var refusal = context.Request.Path.StartsWithSegments("/_blazor") ? null : Check(context.Request.Method, context.Connection.RemoteIpAddress, context.Request.Headers[Header].ToString(), options.Security.ApiKey);
        if (refusal is null)
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.Response.WriteAsync(refusal);
    }

    /// <summary>Null when allowed; otherwise the explanation sent with the 403.</summary>
    public static string? Check(string method, IPAddress? remote, string presentedKey, string? configuredKey)
    {
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))
            return null;
        if (remote is not null && IPAddress.IsLoopback(remote))
            return null;
        if (string.IsNullOrEmpty(configuredKey))
            return "Forbidden: requests that change state are accepted only from loopback, because no API key is configured (set RoutingFlow:Security:ApiKey and send it as X-Api-Key).";
        if (presentedKey.Length == 0)
            return "Forbidden: requests that change state from a non-loopback address need the X-Api-Key header.";
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presentedKey), Encoding.UTF8.GetBytes(configuredKey))
            ? null
            : "Forbidden: the X-Api-Key header does not match RoutingFlow:Security:ApiKey.";
    }
}
