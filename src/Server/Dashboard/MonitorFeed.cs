using RoutingFlow.Server.Monitoring;
using RoutingFlow.Web.Monitoring;

namespace RoutingFlow.Server.Dashboard;

/// <summary>The dashboard's view of <see cref="MonitorState"/>: the current picture, and each WAN's last 15 minutes kept in memory.</summary>
public sealed class MonitorFeed : IMonitorFeed
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private readonly Dictionary<string, Queue<LoadPoint>> _recent = [];
    private readonly Lock _lock = new();
    private volatile MonitorDashboardView _current = MonitorDashboardView.Empty;

    private readonly Advice.AdviceQueries _advice;
    private readonly MonitorState _state;

    public MonitorFeed(MonitorState state, Advice.AdviceQueries advice)
    {
        (_advice, _state) = (advice, state);
        state.Changed += OnTick;
    }

    public event Action<MonitorDashboardView>? Changed;

    public MonitorDashboardView Current => _current;

    public IReadOnlyList<LoadPoint> Recent(string nic)
    {
        lock (_lock)
            return _recent.TryGetValue(nic, out var points) ? [.. points] : [];
    }

    public static IncidentView View(Incident i) => new(i.Id, i.Nic, i.State, i.StartedAt, i.EndedAt, i.Compare.Name(),
        i.CapacityRxBps, i.CapacityTxBps, i.CapacityRxMinBps, i.CapacityRxMaxBps, i.PeakRxBps, i.PeakTxBps, i.PeakUtilization, i.PeakAt,
        Rates(i.TopRx), Rates(i.TopTx), i.RttAtStartSeconds, i.RttAtPeakSeconds)
    {
        OverDirection = i.Over.Name(),
        Culprits = [.. i.Culprits.Select(c => new CulpritView(c.Ip, c.Name, c.Direction, c.Bps, c.Share))],
        Diagnosis = i.Diagnosis is { } d ? new DiagnosisView(d.Cause, d.Confidence, d.Text) { BaselineFrom = d.Evidence.Baseline.From, BaselineTo = d.Evidence.Baseline.To } : null,
    };

    private void OnTick(MonitorView view)
    {
        lock (_lock)
        {
            foreach (var wan in view.Wans)
            {
                if (!_recent.TryGetValue(wan.Nic, out var points))
                    _recent[wan.Nic] = points = new Queue<LoadPoint>();
                var r = wan.Reading;
                points.Enqueue(new LoadPoint(view.At, r.CapacityRxBps, r.CapacityTxBps, r.ActualRxBps, r.ActualTxBps));
                while (points.Count > 0 && points.Peek().Time < view.At - Window)
                    points.Dequeue();
            }
        }
        var advice = view.Wans.Any(w => w.Load.State == LoadState.Overloaded) ? _advice.Current().Text : null; // planned only while a WAN is over
        _current = new MonitorDashboardView(view.At, view.Wans.Select(w => Wan(w) with { Advice = w.Load.State == LoadState.Overloaded ? advice : null }).ToList());
        Changed?.Invoke(_current);
    }

    private WanLoadView Wan(WanStatus w) => new(w.Nic, w.Reading.CapacityRxBps, w.Reading.CapacityTxBps, w.Reading.ActualRxBps,
        w.Reading.ActualTxBps, w.Load.Utilization, w.Load.Mode.Name(), w.Load.State.ToString().ToLowerInvariant(), Rates(w.TopRx), Rates(w.TopTx),
        w.OpenIncident is { } open ? View(_state.Incident(open.Id) ?? open) : null); // this run's copy carries the diagnosis

    private static List<IpRateView> Rates(IReadOnlyList<IpRate> rates) => rates.Select(r => new IpRateView(r.Ip, r.Bps, r.Name)).ToList();
}
