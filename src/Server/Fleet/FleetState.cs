using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Server.Fleet;

/// <summary>The fleet monitor's latest view and the incidents it has seen since start (the newest 1,000), for the API, /status and the pages.</summary>
public sealed class FleetState
{
    public const int MaxIncidents = 1000;
    private readonly Dictionary<long, Incident> _incidents = [];
    private readonly Lock _lock = new();
    private volatile FleetView _current;

    public FleetState(FleetOptions options) => _current = options.Enabled ? FleetView.Starting : FleetView.Off;

    public FleetView Current => _current;

    public event Action<IncidentChange, Incident>? IncidentChanged;

    /// <summary>Each check's view, once published.</summary>
    public event Action<FleetView>? Changed;

    public void Publish(FleetView view)
    {
        _current = view;
        Metrics.Publications.Note();
        Changed?.Invoke(view);
    }

    public void Record(IncidentChange change, Incident incident)
    {
        lock (_lock)
        {
            _incidents[incident.Id] = incident;
            if (_incidents.Count > MaxIncidents)
                _incidents.Remove(_incidents.Values.MinBy(i => i.StartedAt)!.Id);
        }
        IncidentChanged?.Invoke(change, incident);
    }

    /// <summary>The fleet's incidents, newest first; of one router when <paramref name="router"/> is given.</summary>
    public IReadOnlyList<Incident> Incidents(string? router = null)
    {
        lock (_lock)
            return _incidents.Values.Where(i => router is null || i.Router == router).OrderByDescending(i => i.StartedAt).ToList();
    }
}
