using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Server.Advice;

/// <summary>A WAN as the planner sees it: capacity per direction (after correction; null: unknown) and actual rates, bit/s.</summary>
public readonly record struct PlanWan(string Nic, double? CapacityRxBps, double? CapacityTxBps, double RxBps, double TxBps);

/// <summary>
/// A host's traffic on one WAN now, bit/s. A host whose traffic is split across WANs (conntrack attribution) has one
/// entry per WAN and moves as a whole.
/// </summary>
public readonly record struct PlanHost(string Ip, string Nic, double RxBps, double TxBps);

/// <summary>One move: <see cref="Target"/> (an IP) from its WAN(s) to <see cref="To"/>, with the rates it takes along.</summary>
public sealed record PlanMove(string Target, string From, string To, double RxBps, double TxBps);

/// <summary>A WAN's utilisation before and after the plan (null: its capacity is unknown).</summary>
public sealed record PlanWanChange(string Nic, double? UtilizationBefore, double? UtilizationAfter);

/// <summary>
/// The advice: the moves (none when nothing is over, or nothing helps), whether every WAN ends at or under the
/// threshold (<see cref="Fits"/>), each WAN before and after, and the plan in words.
/// </summary>
public sealed record AdvicePlan(DateTimeOffset At, bool Fits, string Text, IReadOnlyList<PlanMove> Moves, IReadOnlyList<PlanWanChange> Wans)
{
    public static AdvicePlan None(DateTimeOffset at, string text, IReadOnlyList<PlanWanChange> wans) => new(at, true, text, [], wans);
}

/// <summary>What the planner is asked to respect: the monitor's rule and the operator's limits.</summary>
/// <param name="Networks">Whether a plan may move an IPv4 /24 as one (<c>Advice:MoveNetworks</c>).</param>
public sealed record PlanRules(CompareMode? Compare, double Threshold, int MaxMoves, IReadOnlyList<RoutingFlow.Capture.Addressing.IpNetwork> Pinned, bool Networks = true);
