using RoutingFlow.Web.Monitoring;

namespace RoutingFlow.Web.Tests.Monitoring;

/// <summary>A monitor feed and a history the test fills by hand.</summary>
public sealed class FakeMonitor : IMonitorFeed, IHistoryReader
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public MonitorDashboardView Current { get; private set; } = MonitorDashboardView.Empty;

    public event Action<MonitorDashboardView>? Changed;

    public Dictionary<string, List<LoadPoint>> Points { get; } = [];

    public List<IncidentView> Stored { get; } = [];

    public List<(DateTimeOffset From, DateTimeOffset To, string? Nic)> Queries { get; } = [];

    public IReadOnlyList<string> Nics { get; } = ["wan0", "wan1"];

    public int Subscribers => Changed?.GetInvocationList().Length ?? 0;

    public void Publish(MonitorDashboardView view)
    {
        Current = view;
        Changed?.Invoke(view);
    }

    public IReadOnlyList<LoadPoint> Recent(string nic) => Points.GetValueOrDefault(nic) ?? [];

    public Task<IReadOnlyList<IncidentView>> IncidentsAsync(DateTimeOffset from, DateTimeOffset to, string? nic, CancellationToken cancellationToken)
    {
        Queries.Add((from, to, nic));
        return Task.FromResult<IReadOnlyList<IncidentView>>(Stored.Where(i => nic is null || i.Nic == nic).OrderByDescending(i => i.StartedAt).ToList());
    }

    public Task<IncidentView?> IncidentAsync(long id, CancellationToken cancellationToken) => Task.FromResult(Stored.FirstOrDefault(i => i.Id == id));

    public Task<IReadOnlyList<LoadPoint>> HistoryAsync(string nic, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        Queries.Add((from, to, nic));
        return Task.FromResult<IReadOnlyList<LoadPoint>>(Recent(nic));
    }

    public List<HistoryEventView> Events { get; } = [];

    public Task<IReadOnlyList<HistoryEventView>> EventsAsync(string? nic, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<HistoryEventView>>(Events.Where(e => e.Time >= from && e.Time <= to).ToList());

    public List<ProbeRttView> Rtts { get; } = [];

    public Task<IReadOnlyList<ProbeRttView>> ProbeRttsAsync(string nic, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProbeRttView>>(nic == "wan0" ? Rtts.Where(r => r.Time >= from && r.Time <= to).ToList() : []);

    public List<TalkerView> Talkers { get; } = [];

    public List<(string? Nic, DateTimeOffset From, DateTimeOffset To, string Direction)> TalkerQueries { get; } = [];

    public Task<IReadOnlyList<TalkerView>> TalkersAsync(string? nic, DateTimeOffset from, DateTimeOffset to, string direction, int top, CancellationToken cancellationToken)
    {
        TalkerQueries.Add((nic, from, to, direction));
        return Task.FromResult<IReadOnlyList<TalkerView>>(Talkers.Take(top).ToList());
    }

    public static IncidentView Incident(long id, string nic, DateTimeOffset? ended) => new(id, nic, ended is null ? "open" : "closed", T0, ended, "combined",
        20e6, null, 18e6, 20e6, 31e6, 1e6, 1.55, T0.AddSeconds(4), [new IpRateView("192.168.50.12", 29e6), new IpRateView("192.168.50.13", 1e6)],
        [new IpRateView("192.168.50.12", 1e6)], 0.012, 0.08);

    public static List<LoadPoint> Minutes(int count) => Enumerable.Range(0, count)
        .Select(s => new LoadPoint(T0.AddSeconds(s), s % 10 == 5 ? null : 20e6, null, 15e6 + s * 1e5, 1e6)).ToList();
}
