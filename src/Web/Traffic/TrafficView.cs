namespace RoutingFlow.Web.Traffic;

/// <summary>The live traffic picture published once a second: each WAN with its rates and its IPs, busiest first.</summary>
public sealed record TrafficView(DateTimeOffset Timestamp, IReadOnlyList<NicTraffic> Nics)
{
    public static TrafficView Empty { get; } = new(DateTimeOffset.MinValue, []);
}

public sealed record NicTraffic(string Name, string Interface, double RxBps, double TxBps, IReadOnlyList<IpTraffic> Ips);

public sealed record IpTraffic(string Ip, double RxBps, double TxBps, long RxBytes, long TxBytes)
{
    public double TotalBps => RxBps + TxBps;
}
