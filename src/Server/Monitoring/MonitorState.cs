namespace RoutingFlow.Server.Monitoring;

/// <summary>
/// The monitor's latest view (for /status, metrics and the dashboard), the incidents it has seen since start, and
/// the events of their changes (for storage and alerts).
/// </summary>
public sealed class MonitorState
{
    private readonly Dictionary<long, Incident> _incidents = [];
    private readonly Dictionary<string, long> _opened = [];
    private readonly Dictionary<long, (Diagnosis.IncidentDiagnosis Diagnosis, Advice.AdvicePlan? Advice)> _diagnoses = [];
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

    /// <summary>
    /// An incident's diagnosis and the rebalancing plan of the moment (<see cref="Diagnosis.DiagnosisWorker"/>): kept
    /// with this run's copy and every later change of it. A plan without moves (the traffic gone at close) keeps the
    /// last plan that had some.
    /// </summary>
    public void Diagnose(long id, Diagnosis.IncidentDiagnosis diagnosis, Advice.AdvicePlan? advice)
    {
        Incident? diagnosed;
        lock (_lock)
        {
            if (_diagnoses.TryGetValue(id, out var before) && (advice is null || advice.Moves.Count == 0))
                advice = before.Advice ?? advice;
            _diagnoses[id] = (diagnosis, advice);
            diagnosed = _incidents.TryGetValue(id, out var incident) ? _incidents[id] = incident with { Diagnosis = diagnosis, Advice = advice } : null;
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
                incident = incident with { Diagnosis = diagnosis.Diagnosis, Advice = diagnosis.Advice }; // the tracker's copy does not carry them
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
