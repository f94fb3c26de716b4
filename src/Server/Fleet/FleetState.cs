using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Server.Fleet;

/// <summary>The fleet monitor's latest view and the incidents it has seen since start (the newest 1,000), for the API, /status and the pages.</summary>
public sealed class FleetState
{
    public const int MaxIncidents = 1000;
    private readonly Dictionary<long, Incident> _incidents = [];
    private readonly Dictionary<long, Diagnosis.IncidentDiagnosis> _diagnoses = [];
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
            if (incident.Diagnosis is null && _diagnoses.TryGetValue(incident.Id, out var diagnosis))
                incident = incident with { Diagnosis = diagnosis }; // the tracker's copy does not carry it
            _incidents[incident.Id] = incident;
            if (_incidents.Count > MaxIncidents)
                Forget(_incidents.Values.MinBy(i => i.StartedAt)!.Id);
        }
        IncidentChanged?.Invoke(change, incident);
    }

    /// <summary>A watched router's incident diagnosed (<see cref="Diagnosis.DiagnosisWorker"/>, from the fleet's stored history): kept with it from now on.</summary>
    public void Diagnose(long id, Diagnosis.IncidentDiagnosis diagnosis)
    {
        Incident? diagnosed = null;
        lock (_lock)
        {
            if (_incidents.TryGetValue(id, out var incident))
            {
                _diagnoses[id] = diagnosis;
                diagnosed = _incidents[id] = incident with { Diagnosis = diagnosis };
            }
        }
        if (diagnosed is not null)
            Diagnosed?.Invoke(diagnosed);
    }

    /// <summary>A watched router's incident got (or updated) its diagnosis.</summary>
    public event Action<Incident>? Diagnosed;

    /// <summary>One incident, if this run knows it.</summary>
    public Incident? Incident(long id)
    {
        lock (_lock)
            return _incidents.GetValueOrDefault(id);
    }

    private void Forget(long id)
    {
        _incidents.Remove(id);
        _diagnoses.Remove(id);
    }

    /// <summary>The fleet's incidents, newest first; of one router when <paramref name="router"/> is given.</summary>
    public IReadOnlyList<Incident> Incidents(string? router = null)
    {
        lock (_lock)
            return _incidents.Values.Where(i => router is null || i.Router == router).OrderByDescending(i => i.StartedAt).ToList();
    }
}
