using System.Net;
using System.Security.Cryptography;
using System.Text;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Dashboard;

namespace RoutingFlow.Server.Security;

/// <summary>
/// Requests that change state (anything but GET/HEAD/OPTIONS, and safe ones an endpoint marks with
/// <see cref="StateChange"/>) are accepted from loopback; from elsewhere only with <c>X-Api-Key</c> equal to
/// <c>RoutingFlow:Security:ApiKey</c>, and refused with 403 and the reason otherwise. Exempt: the dashboard's
/// circuit (<c>/_blazor</c>: its controls check the signed-in user themselves) and the sign-in form, which carries the key.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, SecurityOptions options)
{
    public const string Header = "X-Api-Key";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var exempt = request.Path.StartsWithSegments("/_blazor") || request.Path.StartsWithSegments(SignInApi.Prefix);
        var changesState = !IsSafe(request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<StateChange>()?.AppliesTo(request) == true;
        var refusal = exempt || !changesState ? null : Check(context.Connection.RemoteIpAddress, request.Headers[Header].ToString(), options.ApiKey);
        if (refusal is null)
        {
            await next(context);
            return;
        }
        if (request.Path.StartsWithSegments("/api"))
        {
            await TypedResults.Problem(refusal, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden; // the original tools' paths: the text alone
        await context.Response.WriteAsync(refusal);
    }

    /// <summary>Null when allowed; otherwise the explanation sent with the 403.</summary>
    public static string? Check(string method, IPAddress? remote, string presentedKey, string? configuredKey) =>
        IsSafe(method) ? null : Check(remote, presentedKey, configuredKey);

    /// <summary>For a request that changes state: null when allowed; otherwise the explanation sent with the 403.</summary>
    public static string? Check(IPAddress? remote, string presentedKey, string? configuredKey)
    {
        if (remote is not null && IPAddress.IsLoopback(remote))
            return null;
        if (string.IsNullOrEmpty(configuredKey))
            return "Forbidden: requests that change state are accepted only from loopback, because no API key is configured (set RoutingFlow:Security:ApiKey and send it as X-Api-Key).";
        if (presentedKey.Length == 0)
            return "Forbidden: requests that change state from a non-loopback address need the X-Api-Key header.";
        return KeyMatches(presentedKey, configuredKey)
            ? null
            : "Forbidden: the X-Api-Key header does not match RoutingFlow:Security:ApiKey.";
    }

    /// <summary>Compares the SHA-256 of both keys in constant time, so neither the content nor the length of the key leaks.</summary>
    public static bool KeyMatches(string presented, string configured) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(configured)));

    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
}
