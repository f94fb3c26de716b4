using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace RoutingFlow.Server.Security;

/// <summary>
/// ASP.NET Core's rate limiter on requests that change state, per client address: <c>Security:StateChangesPerMinute</c>
/// (60) in a fixed minute, then 429 with <c>Retry-After</c> (audited) until the minute ends. Loopback, reads and the
/// dashboard's circuit are not limited. Applied before the key check, so guessing the key is limited too.
/// </summary>
public static class StateChangeLimiter
{
    public static void AddStateChangeLimiter(this WebApplicationBuilder builder, SecurityOptions security)
    {
        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                Limited(context) is { } client
                    ? RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = security.StateChangesPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = async (rejected, cancellationToken) =>
            {
                var context = rejected.HttpContext;
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "60";
                var reason = $"Too many requests that change state from {AuditLog.Address(context.Connection.RemoteIpAddress)}: at most {security.StateChangesPerMinute} a minute (RoutingFlow:Security:StateChangesPerMinute).";
                context.RequestServices.GetRequiredService<AuditLog>().Record(ApiKeyMiddleware.Who(context, security), AuditLog.Address(context.Connection.RemoteIpAddress),
                    ApiKeyMiddleware.What(context.Request), StatusCodes.Status429TooManyRequests, "rate limited");
                await context.Response.WriteAsync(reason, cancellationToken);
            };
        });
    }

    /// <summary>The client a state-changing request from beyond loopback counts against; null when it is not limited.</summary>
    private static string? Limited(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is not null && IPAddress.IsLoopback(remote) || context.Request.Path.StartsWithSegments("/_blazor") || !ApiKeyMiddleware.ChangesState(context))
            return null;
        return AuditLog.Address(remote);
    }
}
