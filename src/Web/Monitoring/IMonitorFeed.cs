namespace RoutingFlow.Web.Monitoring;

/// <summary>The monitor's picture each second, and each WAN's last 15 minutes for the live chart.</summary>
public interface IMonitorFeed
{
    MonitorDashboardView Current { get; }

    event Action<MonitorDashboardView>? Changed;

    /// <summary>The WAN's readings of the last 15 minutes, oldest first.</summary>
    IReadOnlyList<LoadPoint> Recent(string nic);
}

/// <summary>The stored history, for the incidents and history pages.</summary>
public interface IHistoryReader
{
    IReadOnlyList<string> Nics { get; }

    /// <summary>Incidents overlapping the range, newest first.</summary>
    Task<IReadOnlyList<IncidentView>> IncidentsAsync(DateTimeOffset from, DateTimeOffset to, string? nic, CancellationToken cancellationToken);

    Task<IncidentView?> IncidentAsync(long id, CancellationToken cancellationToken);

    /// <summary>A WAN's capacity and traffic over the range: per second up to 6 hours of range, per minute beyond.</summary>
    Task<IReadOnlyList<LoadPoint>> HistoryAsync(string nic, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Operator changes in the range that explain a step in the history (a correction-factor change), oldest first.</summary>
    Task<IReadOnlyList<HistoryEventView>> EventsAsync(string? nic, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>The stored probe RTTs of the WAN's probes over the range, oldest first (none while storage is off).</summary>
    Task<IReadOnlyList<ProbeRttView>> ProbeRttsAsync(string nic, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>The hosts that carried most over the range (one WAN, or all with <paramref name="nic"/> null), ranked by <paramref name="direction"/> (total, rx, tx).</summary>
    Task<IReadOnlyList<TalkerView>> TalkersAsync(string? nic, DateTimeOffset from, DateTimeOffset to, string direction, int top, CancellationToken cancellationToken);
}

/// <summary>An event in the history (kind <c>correction</c>: the correction factor was set).</summary>
public sealed record HistoryEventView(DateTimeOffset Time, string Kind, string Text);

/// <summary>A probe's RTT at the time it finished, seconds.</summary>
public sealed record ProbeRttView(DateTimeOffset Time, double Seconds);

/// <summary>A host over a range: bytes each way and the mean rates over the range (bit/s).</summary>
public sealed record TalkerView(string Ip, string? Name, long RxBytes, long TxBytes, double RxBps, double TxBps)
{
    public string Label => Name is null ? Ip : $"{Ip} ({Name})";
}
