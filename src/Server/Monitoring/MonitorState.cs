namespace RoutingFlow.Server.Monitoring;

/// <summary>
/// The monitor's latest view (for /status, metrics and the dashboard), the incidents it has seen since start, and
/// the events of their changes (for storage and alerts).
/// </summary>
public sealed class MonitorState
{
    private readonly Dictionary<long, Incident> _incidents = [];
    private readonly Dictionary<string, long> _opened = [];
    private readonly Dictionary<long, Diagnosis.IncidentDiagnosis> _diagnoses = [];
    private readonly Lock _lock = new();
    private volatile MonitorView _current = MonitorView.Empty;

    public event Action<MonitorView>? Changed;

    public event Action<IncidentChange, Incident>? IncidentChanged;

    public MonitorView Current => _current;

    /// <summary>Incidents opened per WAN since start (reopened ones not counted again).</summary>
    public long OpenedCount(string nic)
    {
        lock (_lock)
            return _opened.GetValueOrDefault(nic);
    }

    public IReadOnlyList<Incident> Incidents()
    {
        lock (_lock)
            return _incidents.Values.OrderByDescending(i => i.StartedAt).ToList();
    }

    /// <summary>This run's copy of an incident (fresher than the database's), if it has one.</summary>
    public Incident? Incident(long id)
    {
        lock (_lock)
            return _incidents.GetValueOrDefault(id);
    }

    /// <summary>Forgets a deleted incident; true if this run knew it.</summary>
    public bool Forget(long id)
    {
        lock (_lock)
            return _incidents.Remove(id);
    }

    /// <summary>An incident's diagnosis (<see cref="Diagnosis.DiagnosisWorker"/>): kept with this run's copy and every later change of it.</summary>
    public void Diagnose(long id, Diagnosis.IncidentDiagnosis diagnosis)
    {
        Incident? diagnosed;
        lock (_lock)
        {
            _diagnoses[id] = diagnosis;
            diagnosed = _incidents.TryGetValue(id, out var incident) ? _incidents[id] = incident with { Diagnosis = diagnosis } : null;
        }
        if (diagnosed is not null)
            Diagnosed?.Invoke(diagnosed);
    }

    /// <summary>An incident got (or updated) its diagnosis.</summary>
    public event Action<Incident>? Diagnosed;

    public void Record(IncidentChange change, Incident incident)
    {
        lock (_lock)
        {
            if (incident.Diagnosis is null && _diagnoses.TryGetValue(incident.Id, out var diagnosis))
                incident = incident with { Diagnosis = diagnosis }; // the tracker's copy does not carry it
            _incidents[incident.Id] = incident;
            if (change == IncidentChange.Opened)
                _opened[incident.Nic] = _opened.GetValueOrDefault(incident.Nic) + 1;
        }
        Metrics.Publications.Note();
        IncidentChanged?.Invoke(change, incident);
    }

    public void Publish(MonitorView view)
    {
        _current = view;
        Metrics.Publications.Note();
        Changed?.Invoke(view);
    }
}
