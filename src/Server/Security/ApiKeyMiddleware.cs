using System.Net;
using System.Security.Cryptography;
using System.Text;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Dashboard;

namespace RoutingFlow.Server.Security;

/// <summary>
/// Who may do what, by the client's address. Loopback may read and change everything. From elsewhere:
/// <list type="bullet">
/// <item>Requests that change state (anything but GET/HEAD/OPTIONS, and safe ones an endpoint marks with
/// <see cref="StateChange"/>) need the key (<c>X-Api-Key</c> or <c>Authorization: Bearer</c> equal to
/// <c>RoutingFlow:Security:ApiKey</c>) and are refused with 403 and the reason otherwise. Exempt: the dashboard's
/// circuit (its controls check the signed-in user themselves) and the sign-in form, which carries the key.</item>
/// <item>Reads need the key too (header, bearer token, or the dashboard's sign-in cookie) unless
/// <c>Security:PublicReads</c> is true: 401 with the reason, or for a page the sign-in form. Open to all:
/// <c>/healthz</c>, the sign-in page and form, and static files (a path with an extension outside <c>/api</c>).</item>
/// </list>
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, SecurityOptions options, AuditLog audit)
{
    public const string Header = "X-Api-Key";

    public const string ReadRefusal = "Unauthorized: reads from a non-loopback address need the API key (the X-Api-Key header, Authorization: Bearer, or the dashboard's sign-in), because RoutingFlow:Security:PublicReads is false.";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var presented = Presented(request);
        // The dashboard's circuit carries its pages whatever the method: it needs the sign-in as a read does.
        if ((IsSafe(request.Method) || request.Path.StartsWithSegments("/_blazor")) && ReadNeedsKey(context) && !CanRead(context, presented))
        {
            await RefuseReadAsync(context);
            return;
        }
        var changesState = ChangesState(context) && !request.Path.StartsWithSegments("/_blazor");
        var exempt = request.Path.StartsWithSegments(SignInApi.Prefix); // the sign-in form carries the key itself
        var refusal = exempt || !changesState ? null : Check(context.Connection.RemoteIpAddress, presented, options.ApiKey);
        if (refusal is null)
        {
            await next(context);
            if (changesState || exempt)
                audit.Record(Who(context, options), AuditLog.Address(context.Connection.RemoteIpAddress), What(request), context.Response.StatusCode, Outcome(context.Response));
            return;
        }
        audit.Record(Who(context, options), AuditLog.Address(context.Connection.RemoteIpAddress), What(request), StatusCodes.Status403Forbidden, refusal);
        if (request.Path.StartsWithSegments("/api"))
        {
            await TypedResults.Problem(refusal, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden; // the original tools' paths: the text alone
        await context.Response.WriteAsync(refusal);
    }

    /// <summary>Whether a request changes state: any method but GET/HEAD/OPTIONS, or a safe one its endpoint marks (<see cref="StateChange"/>).</summary>
    public static bool ChangesState(HttpContext context) =>
        !IsSafe(context.Request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<StateChange>()?.AppliesTo(context.Request) == true;

    /// <summary>Who a request acts as: loopback, the key (header or bearer), a dashboard sign-in, or nobody known.</summary>
    public static string Who(HttpContext context, SecurityOptions options)
    {
        if (IsLoopback(context.Connection.RemoteIpAddress))
            return "loopback";
        var presented = Presented(context.Request);
        if (presented.Length > 0 && options.KeyConfigured && KeyMatches(presented, options.ApiKey!))
            return "api-key";
        return DashboardUsers.Via(context.User) == "api-key" ? "signed-in" : presented.Length > 0 ? "wrong key" : "anonymous";
    }

    /// <summary>What a request does, as the audit writes it: method, path and query (no body: a key or secret is never in a query here).</summary>
    public static string What(HttpRequest request) => $"{request.Method} {request.Path}{request.QueryString}";

    /// <summary>done, refused or failed by the status; a sign-in sent back to its form with an error is refused.</summary>
    private static string Outcome(HttpResponse response) => response.StatusCode switch
    {
        < 300 => "done",
        < 400 => response.Headers.Location.ToString().Contains("error=", StringComparison.Ordinal) ? "refused" : "done",
        < 500 => "refused",
        _ => "failed",
    };

    /// <summary>The key a request presents: <c>X-Api-Key</c>, else an <c>Authorization: Bearer</c> token (as Prometheus sends one), else empty.</summary>
    public static string Presented(HttpRequest request)
    {
        var header = request.Headers[Header].ToString();
        if (header.Length > 0)
            return header;
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : "";
    }

    /// <summary>A read that is not open to everyone, from a non-loopback client, with <c>PublicReads</c> off.</summary>
    private bool ReadNeedsKey(HttpContext context) =>
        !options.PublicReads && !IsLoopback(context.Connection.RemoteIpAddress) && !OpenToAll(context.Request.Path);

    private bool CanRead(HttpContext context, string presented) =>
        DashboardUsers.Signed(context.User, DateTimeOffset.UtcNow)
        || (presented.Length > 0 && options.KeyConfigured && KeyMatches(presented, options.ApiKey!));

    /// <summary>Reads anyone may make: liveness, the sign-in page and form, static files (no host in them).</summary>
    public static bool OpenToAll(PathString path) =>
        path.Equals("/healthz", StringComparison.Ordinal) || path.StartsWithSegments(DashboardUsers.SignInPath) || path.StartsWithSegments(SignInApi.Prefix)
        || (!path.StartsWithSegments("/api") && System.IO.Path.HasExtension(path.Value));

    /// <summary>A page (the browser asks for HTML) goes to the sign-in form; anything else gets 401 saying what it needs.</summary>
    private static async Task RefuseReadAsync(HttpContext context)
    {
        var request = context.Request;
        var page = !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/_blazor")
            && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
        if (page)
        {
            context.Response.Redirect($"{DashboardUsers.SignInPath}?returnUrl={Uri.EscapeDataString(request.Path + request.QueryString)}");
            return;
        }
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"routingflow\"";
        if (request.Path.StartsWithSegments("/api"))
        {
            await TypedResults.Problem(ReadRefusal, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized").ExecuteAsync(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await context.Response.WriteAsync(ReadRefusal);
    }

    private static bool IsLoopback(IPAddress? remote) => remote is not null && IPAddress.IsLoopback(remote);

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
