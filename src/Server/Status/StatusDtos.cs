namespace RoutingFlow.Server.Status;

/// <summary>GET /status. Property names are a contract with scripts.</summary>
public sealed record StatusResponse(
    string DefaultNic,
    MappingDto Mapping,
    IReadOnlyList<NicDto> Nics,
    IReadOnlyList<CaptureDto> Captures);

public sealed record MappingDto(
    string Source,
    string? Url,
    bool Healthy,
    string? LastError,
    DateTimeOffset? LastSuccess,
    DateTimeOffset? LastAttempt,
    long ConsecutiveFailures,
    double NextPollSeconds,
    long Version,
    IReadOnlyList<MappingRuleDto> Rules);

public sealed record MappingRuleDto(string Cidr, string Nic, string Source);

public sealed record NicDto(string Name, string Interface, double RxBps, double TxBps);

public sealed record CaptureDto(
    string Interface,
    string Role,
    string? Nic,
    string State,
    string? Error,
    long Packets,
    long Bytes,
    long Drops,
    long Malformed,
    long Truncated,
    int TrackedIps,
    long Evictions,
    long ReceivedByFilter);
