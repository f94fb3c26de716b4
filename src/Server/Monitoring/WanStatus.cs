namespace RoutingFlow.Server.Monitoring;

/// <summary>
/// One WAN as the monitor last saw it: its reading (actual traffic without the probes' own), the load, the open
/// incident if any, and while overloaded the busiest IPs now.
/// </summary>
public sealed record WanStatus(
    string Nic,
    DateTimeOffset At,
    WanReading Reading,
    WanLoad Load,
    Incident? OpenIncident,
    IReadOnlyList<IpRate> TopRx,
    IReadOnlyList<IpRate> TopTx);

/// <summary>Every WAN at one tick.</summary>
public sealed record MonitorView(DateTimeOffset At, IReadOnlyList<WanStatus> Wans)
{
    public static MonitorView Empty { get; } = new(DateTimeOffset.MinValue, []);

    public WanStatus? Of(string nic) => Wans.FirstOrDefault(w => w.Nic == nic);
}
