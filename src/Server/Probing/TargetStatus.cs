using RoutingFlow.Capture.Probing;

namespace RoutingFlow.Server.Probing;

public enum TargetState
{
    Pending,
    Ok,
    Failed,
}

/// <summary>
/// One target on one interface: its latest probe, its smoothed raw estimate (null while its latest probe failed),
/// its consecutive failures and when it runs next. Raw: the correction factor is applied on report.
/// </summary>
public sealed record TargetStatus(
    string Interface,
    string? Nic,
    int Index,
    ProbeTarget Target,
    TargetState State,
    double? RawEstimateBps,
    ProbeResult? Last,
    DateTimeOffset? LastSuccess,
    DateTimeOffset? LastAttempt,
    long ConsecutiveFailures,
    DateTimeOffset NextRun)
{
    public string StateName => State.ToString().ToLowerInvariant();

    public static TargetStatus Pending(string itf, string? nic, int index, ProbeTarget target, DateTimeOffset now) =>
        new(itf, nic, index, target, TargetState.Pending, null, null, null, null, 0, now);
}
