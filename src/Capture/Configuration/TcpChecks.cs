namespace RoutingFlow.Capture.Configuration;

/// <summary>Validates <c>RoutingFlow:Tcp</c> and <c>RoutingFlow:Connections</c>; every problem is reported with its key.</summary>
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

    public static void Check(ConnectionOptions connections, List<string> errors)
    {
        ConfigChecks.Range(errors, "Connections:MaxEntries", connections.MaxEntries, 16, 16_777_216, "entries");
        ConfigChecks.Span(errors, "Connections:IdleTimeout", connections.IdleTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));
        for (var i = 0; i < connections.VethPrefixes.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(connections.VethPrefixes[i]))
                errors.Add($"{RoutingFlowOptions.Section}:Connections:VethPrefixes:{i} is empty");
        }
    }
}
