namespace RoutingFlow.Capture.Configuration;

/// <summary><c>RoutingFlow:Tcp</c>: the per-flow TCP health analysis of every capture (loss, retransmission, windows, RTT).</summary>
public sealed class TcpAnalysisOptions
{
    public const string ScopeAll = "all";
    public const string ScopeGlobal = "global";

    /// <summary><c>all</c>: every TCP flow; <c>global</c>: only flows between two globally reachable unicast addresses (the original tool's rule).</summary>
    public string Scope { get; set; } = ScopeAll;

    /// <summary>Most flows tracked per capture; past it the least recently active is evicted (and counted).</summary>
    public int MaxFlows { get; set; } = 1_048_576;

    /// <summary>An open flow with no packet for this long is no longer active and is forgotten.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The same after a FIN or RST.</summary>
    public TimeSpan ClosedTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a one-line summary of event rates goes to the log; <c>0</c> turns it off.</summary>
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(1);

    public bool GlobalOnly => string.Equals(Scope, ScopeGlobal, StringComparison.OrdinalIgnoreCase);
}
