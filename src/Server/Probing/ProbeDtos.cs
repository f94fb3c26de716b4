namespace RoutingFlow.Server.Probing;

/// <summary>GET /api/probe. Estimates and capacities are after the correction factor, bits/s; null: unknown.</summary>
public sealed record ProbeResponse(
    bool Enabled,
    double CorrectionFactor,
    string CorrectionFactorSource,
    string StateFile,
    string? StateFileError,
    bool BindingSupported,
    IReadOnlyList<ProbeInterfaceDto> Interfaces);

public sealed record ProbeInterfaceDto(
    string Interface,
    string? Nic,
    string State,
    double? RxCapacityBps,
    double? TxCapacityBps,
    long ProbeRxBytes,
    long ProbeTxBytes,
    IReadOnlyList<ProbeTargetDto> Targets);

/// <summary>
/// One target on one interface: <see cref="State"/> is pending, ok or failed. Estimates are wire bits/s (frames as
/// a capture counts them): the last probe's <see cref="GoodputBps"/> (payload, raw) × <see cref="WireFactor"/>,
/// from the connection's measured <see cref="Mss"/>, plus <see cref="CrossTrafficBps"/>: the rest of the line's
/// traffic in the probe's direction meanwhile (<see cref="LineBps"/>, the interface's kernel counter, less the
/// probe's own wire rate), so that a probe on a busy line measures the line and not the room left on it.
/// </summary>
public sealed record ProbeTargetDto(
    int Index,
    string Server,
    string Method,
    string Direction,
    string? Url,
    int Port,
    string State,
    double? EstimateBps,
    double? RawEstimateBps,
    double? LastEstimateBps,
    double? RttSeconds,
    double? RttVarSeconds,
    double? DeliveryRateBps,
    long? ReceiveBuffer,
    long TransferredBytes,
    double? ElapsedSeconds,
    string? RemoteAddress,
    DateTimeOffset? LastSuccess,
    DateTimeOffset? LastAttempt,
    string? LastError,
    string? FailureReason,
    long ConsecutiveFailures,
    DateTimeOffset NextRun,
    double? GoodputBps,
    uint? Mss,
    double? WireFactor,
    double? LineBps,
    double? CrossTrafficBps);
