using System.Threading.Channels;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage;

namespace RoutingFlow.Server.Diagnosis;

/// <summary>
/// Diagnoses each incident off the monitor's thread: when it opens or reopens, once a minute while it stays open,
/// and when it closes (the final one). Each waits one storage flush first, so that the samples it reads are written.
/// The diagnosis goes to <see cref="MonitorState.Diagnose"/>, which keeps it with the incident (API, pages,
/// webhooks, storage). The fleet monitor's incidents are diagnosed the same way from the watched router's stored
/// history (<see cref="Storage.FleetRecorder"/>; no probe RTTs, TCP loss or advice there) into <see cref="Fleet.FleetState.Diagnose"/>.
/// </summary>
public sealed partial class DiagnosisWorker(MonitorState monitor, Fleet.FleetState fleet, EvidenceReader evidence, Advice.AdviceQueries advice, DiagnosisOptions options,
    StorageOptions storage, TimeProvider time, ILogger<DiagnosisWorker> logger) : BackgroundService
{
    private static readonly TimeSpan UpdateEvery = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan AdviceEvery = TimeSpan.FromSeconds(5);
    private readonly Channel<long> _queue = Channel.CreateBounded<long>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Dictionary<long, DateTimeOffset> _last = [];

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        monitor.IncidentChanged += OnChanged;
        fleet.IncidentChanged += OnChanged;
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        monitor.IncidentChanged -= OnChanged;
        fleet.IncidentChanged -= OnChanged;
        return base.StopAsync(cancellationToken);
    }

    private void OnChanged(IncidentChange change, Incident incident)
    {
        var now = time.GetUtcNow();
        // An open incident of this router whose diagnosis has no rebalancing move yet (the plan came after it) is
        // looked at again within seconds, not a minute: its alerts quote the advice.
        var every = incident.Router.Length == 0 && monitor.Incident(incident.Id)?.Advice is not { Moves.Count: > 0 } ? AdviceEvery : UpdateEvery;
        lock (_last)
        {
            if (change == IncidentChange.Updated && _last.TryGetValue(incident.Id, out var last) && now - last < every)
                return;
            _last[incident.Id] = now;
        }
        _queue.Writer.TryWrite(incident.Id);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var id in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await Task.Delay(storage.FlushInterval + TimeSpan.FromSeconds(1), time, stoppingToken);
                await DiagnoseAsync(id, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task DiagnoseAsync(long id, CancellationToken cancellationToken)
    {
        if ((monitor.Incident(id) ?? fleet.Incident(id)) is not { } incident)
            return;
        try
        {
            if (await evidence.ReadAsync(incident, time.GetUtcNow(), cancellationToken) is not { } found)
                return;
            var diagnosis = Diagnoser.Diagnose(found, options);
            if (incident.Router.Length > 0)
                fleet.Diagnose(id, diagnosis);
            else
                monitor.Diagnose(id, diagnosis, incident.IsOpen ? advice.Current() : null);
            LogDiagnosed(logger, id, incident.Router.Length > 0 ? $"{incident.Router} {incident.Nic}" : incident.Nic, diagnosis.Cause, diagnosis.Text);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, id, e.GetBaseException().Message);
        }
    }

    [LoggerMessage(EventId = 2501, Level = LogLevel.Information, Message = "Incident {Id} on {Nic}: {Cause}: {Text}")]
    private static partial void LogDiagnosed(ILogger logger, long id, string nic, string cause, string text);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Warning, Message = "Incident {Id}: diagnosis failed ({Error}); the incident stands without one")]
    private static partial void LogFailed(ILogger logger, long id, string error);
}
