namespace RoutingFlow.Capture.Configuration;

/// <summary>Validates <c>RoutingFlow:Tcp</c>; every problem is reported with its key.</summary>
internal static class TcpChecks
{
    public static readonly string[] Scopes = [TcpAnalysisOptions.ScopeAll, TcpAnalysisOptions.ScopeGlobal];

    public static void Check(TcpAnalysisOptions tcp, List<string> errors)
    {
        if (!Scopes.Contains(tcp.Scope, StringComparer.OrdinalIgnoreCase))
            errors.Add($"{RoutingFlowOptions.Section}:Tcp:Scope '{tcp.Scope}' is not {string.Join(" or ", Scopes)}");
        ConfigChecks.Range(errors, "Tcp:MaxFlows", tcp.MaxFlows, 1_024, 16_777_216, "flows");
        ConfigChecks.Span(errors, "Tcp:IdleTimeout", tcp.IdleTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        ConfigChecks.Span(errors, "Tcp:ClosedTimeout", tcp.ClosedTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        if (tcp.StatsInterval != TimeSpan.Zero)
            ConfigChecks.Span(errors, "Tcp:StatsInterval", tcp.StatsInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
    }
}
