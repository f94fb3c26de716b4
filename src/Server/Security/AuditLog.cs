using System.Net;
using System.Security.Claims;

namespace RoutingFlow.Server.Security;

/// <summary>
/// One state change or an attempt at one: when, who (<c>loopback</c>, <c>api-key</c>, <c>signed-in</c> through the
/// dashboard, or <c>anonymous</c>), from which address, what (the request, or the dashboard's control), and the result
/// (its status and, when refused, why).
/// </summary>
public sealed record AuditEntry(DateTimeOffset At, string Who, string From, string What, int Status, string Result);

/// <summary>
/// Every state change, logged (event 1800) and kept for <c>GET /api/audit</c>: the newest <see cref="Capacity"/>
/// entries of this run (the log keeps them all).
/// </summary>
public sealed partial class AuditLog(TimeProvider time, ILogger<AuditLog> logger)
{
    public const int Capacity = 1000;

    /// <summary>The claim the dashboard's user carries with the address its circuit was opened from.</summary>
    public const string FromClaim = "routingflow:from";

    private readonly Queue<AuditEntry> _entries = new();
    private readonly Lock _lock = new();

    public void Record(string who, string from, string what, int status, string result)
    {
        var entry = new AuditEntry(time.GetUtcNow(), who, from, what, status, result);
        lock (_lock)
        {
            _entries.Enqueue(entry);
            if (_entries.Count > Capacity)
                _entries.Dequeue();
        }
        LogChange(logger, who, from, what, status, result);
    }

    /// <summary>A dashboard control's action by the user of its circuit: done (200), refused for want of rights (403), or not valid (400).</summary>
    public void Record(ClaimsPrincipal user, string what, string? error) =>
        Record(Dashboard.DashboardUsers.Via(user) is { } via ? (via == "api-key" ? "signed-in" : via) : "anonymous",
            user.FindFirst(FromClaim)?.Value ?? "unknown", $"dashboard: {what}",
            error is null ? 200 : Dashboard.DashboardUsers.CanControl(user) ? 400 : 403, error ?? "done");

    /// <summary>The newest first.</summary>
    public IReadOnlyList<AuditEntry> Entries(int limit)
    {
        lock (_lock)
            return _entries.Reverse().Take(limit).ToList();
    }

    public static string Address(IPAddress? remote) => remote is null ? "unknown" : (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString();

    [LoggerMessage(EventId = 1800, Level = LogLevel.Information, Message = "Audit: {Who} from {From}: {What} → {Status} {Result}")]
    private static partial void LogChange(ILogger logger, string who, string from, string what, int status, string result);
}
