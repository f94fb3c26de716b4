namespace RoutingFlow.Server.Status;

/// <summary>GET /status. Property names are a contract with scripts.</summary>
public sealed record StatusResponse(
    string DefaultNic,
    MappingDto Mapping,
    IReadOnlyList<NicDto> Nics,
    IReadOnlyList<CaptureDto> Captures,
    ProbeSummaryDto Probe,
    IReadOnlyList<LegacyPortDto> LegacyPorts);

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

/// <summary>A WAN: its actual rates, and its capacity per direction after correction (null: unknown) with its probe state (pending, ok, degraded, unknown, disabled).</summary>
public sealed record NicDto(string Name, string Interface, double RxBps, double TxBps, double? RxCapacityBps, double? TxCapacityBps, string ProbeState);

/// <summary>The capacity probes in short; GET /api/probe has every target.</summary>
public sealed record ProbeSummaryDto(bool Enabled, double CorrectionFactor, int Targets, int FailingTargets);

public sealed record LegacyPortDto(int Port, string Path, bool Listening, string? Error);

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
