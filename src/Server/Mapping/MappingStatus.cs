namespace RoutingFlow.Server.Mapping;

/// <summary>How the routing status URL is doing, for /status and /metrics.</summary>
public sealed record MappingStatus(
    string Source,
    string? Url,
    bool Healthy,
    string? LastError,
    DateTimeOffset? LastSuccess,
    DateTimeOffset? LastAttempt,
    long Failures,
    long TotalFailures,
    TimeSpan NextPollIn);
