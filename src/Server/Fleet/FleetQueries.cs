namespace RoutingFlow.Server.Fleet;

/// <summary>
/// <c>RoutingFlow:Fleet:Queries</c>: the PromQL the fleet monitor asks, one instant query per metric for the whole
/// fleet (never one per router). Every answer must carry the router label (<c>Fleet:RouterLabel</c>) and <c>nic</c>;
/// the per-IP ones also <c>ip</c>. <c>{router}</c> in a query stands for the router label, <c>{top}</c> for
/// <c>Monitor:TopIps</c>, and <c>{selector}</c> (in the per-IP queries) for a label matcher naming the routers
/// that have a WAN at or above <c>Monitor:FullAt</c>: the per-IP queries are asked only when some WAN is that busy, and
/// only for those routers, since selecting every router's per-IP series costs Prometheus seconds per query at 1,000
/// routers (docs/PERFORMANCE.md). The actual and per-IP queries are the original monitor's (<c>network_ip_rx_bps_total</c>,
/// <c>network_ip_rx_bps</c>), so routers that run the original exporters are read as well; the capacity is RoutingFlow's
/// per-WAN series (the original <c>tcp_traffic_scan_tcp_bandwidth_avg_bps</c> is per interface: for such routers set
/// <c>CapacityRx</c> to it with <c>label_replace</c> naming each interface's WAN).
/// </summary>
public sealed class FleetQueries
{
    /// <summary>Each WAN's receive capacity after the correction factor, bits/s.</summary>
    public string CapacityRx { get; set; } = "routingflow_wan_capacity_bps{direction=\"rx\"}";

    /// <summary>Each WAN's transmit capacity, bits/s (absent: the combined rule, rx + tx against the rx capacity).</summary>
    public string CapacityTx { get; set; } = "routingflow_wan_capacity_bps{direction=\"tx\"}";

    /// <summary>What a WAN's local IPs receive, bits/s.</summary>
    public string ActualRx { get; set; } = "network_ip_rx_bps_total";

    /// <summary>What they send, bits/s.</summary>
    public string ActualTx { get; set; } = "network_ip_tx_bps_total";

    /// <summary>The busiest receiving IPs per router and WAN.</summary>
    public string TopRx { get; set; } = "topk by ({router}, nic) ({top}, network_ip_rx_bps{selector} > 0)";

    /// <summary>The busiest sending IPs per router and WAN.</summary>
    public string TopTx { get; set; } = "topk by ({router}, nic) ({top}, network_ip_tx_bps{selector} > 0)";

    /// <summary>When each WAN's traffic was last scraped (Unix seconds): a WAN older than <c>Fleet:StaleAfter</c> is unknown.</summary>
    public string LastSample { get; set; } = "timestamp(network_ip_rx_bps_total)";

    public IEnumerable<(string Name, string Query)> All() =>
    [
        (nameof(CapacityRx), CapacityRx), (nameof(CapacityTx), CapacityTx), (nameof(ActualRx), ActualRx), (nameof(ActualTx), ActualTx),
        (nameof(TopRx), TopRx), (nameof(TopTx), TopTx), (nameof(LastSample), LastSample),
    ];

    /// <summary>A query with its placeholders filled in (<paramref name="routers"/>: the routers <c>{selector}</c> names; null: every router).</summary>
    public static string Expand(string query, string routerLabel, int top, IReadOnlyCollection<string>? routers = null) =>
        query.Replace("{router}", routerLabel, StringComparison.Ordinal)
            .Replace("{top}", top.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{selector}", Selector(routerLabel, routers), StringComparison.Ordinal);

    /// <summary><c>{instance=~"a|b"}</c> for the routers given (regular-expression characters escaped), nothing for every router.</summary>
    public static string Selector(string routerLabel, IReadOnlyCollection<string>? routers) =>
        routers is null ? "" : $"{{{routerLabel}=~\"{string.Join('|', routers.Order(StringComparer.Ordinal).Select(Quote))}\"}}";

    /// <summary>
    /// A router's label value as an exact RE2 pattern (Go's <c>regexp.QuoteMeta</c>: <c>\.+*?()|[]{}^$</c> escaped) inside a
    /// PromQL string (backslashes and quotes escaped again).
    /// </summary>
    private static string Quote(string value)
    {
        var pattern = new System.Text.StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (@"\.+*?()|[]{}^$".Contains(c, StringComparison.Ordinal))
                pattern.Append('\\');
            pattern.Append(c);
        }
        return pattern.ToString().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
    }
}
