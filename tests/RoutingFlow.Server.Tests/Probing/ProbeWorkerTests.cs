using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Probing;
using RoutingFlow.Server.Probing;

namespace RoutingFlow.Server.Tests.Probing;

public sealed class ProbeWorkerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeProbeRunner _runner = new();
    private readonly string _data = Directory.CreateTempSubdirectory("rf-probe-").FullName;
    private readonly ProbeState _state;
    private readonly ProbeWorker _worker;

    public ProbeWorkerTests()
    {
        var options = new RoutingFlowOptions();
        options.Probe.Targets.Add(new ProbeTargetOptions { Server = "a" });
        options.Probe.Targets.Add(new ProbeTargetOptions { Server = "b" });
        options.Probe.Targets.Add(new ProbeTargetOptions { Server = "up", Url = "http://up/sink", Method = "upload" });
        var settings = SettingsBuilder.TryBuild(options, [new NicDeclaration("wan0", "eth0"), new NicDeclaration("wan1", "eth1")], () => null, [])!;
        _state = new ProbeState(settings.Probe, new CorrectionFactorStore(_data, 1.0), new ProbeTraffic(), _time);
        _worker = new ProbeWorker(_state, _runner, _time, NullLogger<ProbeWorker>.Instance);
    }

    public void Dispose()
    {
        _worker.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task ProbeDueAsync_FirstRound_RunsEveryTargetInOrder_AndEstimatesPerDirection()
    {
        _runner.Answer("eth0", "a", FakeProbeRunner.Ok(100e6));
        _runner.Answer("eth0", "b", FakeProbeRunner.Ok(200e6));
        _runner.Answer("eth0", "up", FakeProbeRunner.Ok(20e6));

        Assert.Equal(3, await _worker.ProbeDueAsync("eth0", CancellationToken.None));

        Assert.Equal(["a", "b", "up"], _runner.Calls.Select(c => c.Target.Server));
        Assert.Equal(150e6, _state.Capacity("eth0", ProbeDirection.Rx));
        Assert.Equal(20e6, _state.Capacity("eth0", ProbeDirection.Tx));
        Assert.Null(_state.Capacity("eth1", ProbeDirection.Rx));
        Assert.Equal("ok", _state.StateOf("eth0"));
        Assert.Equal("pending", _state.StateOf("eth1"));
    }

    [Fact]
    public async Task ProbeDueAsync_RunsOnlyWhatIsDue_ByMethodInterval()
    {
        await _worker.ProbeDueAsync("eth0", CancellationToken.None);
        _runner.Calls.Clear();

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await _worker.ProbeDueAsync("eth0", CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, await _worker.ProbeDueAsync("eth0", CancellationToken.None)); // the window targets, every 10 s
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(3, await _worker.ProbeDueAsync("eth0", CancellationToken.None)); // and the upload, every 5 min
    }

    [Fact]
    public async Task Failures_BackOff_LeaveOtherTargetsAlone_AndAllFailingIsUnknown()
    {
        _runner.Answer("eth0", "a", FakeProbeRunner.Ok(100e6));
        _runner.Answer("eth0", "b", FakeProbeRunner.Refused());

        var failed = await _worker.ProbeOnceAsync("eth0", 1, CancellationToken.None);
        await _worker.ProbeOnceAsync("eth0", 0, CancellationToken.None);

        Assert.Equal(TargetState.Failed, failed.State);
        Assert.Equal(TimeSpan.FromSeconds(10), failed.NextRun - failed.LastAttempt);
        Assert.Equal(100e6, _state.Capacity("eth0", ProbeDirection.Rx));
        Assert.Equal("degraded", _state.StateOf("eth0"));
        Assert.Equal(1, _state.Failures()[("eth0", "b", "refused")]);

        var second = await _worker.ProbeOnceAsync("eth0", 1, CancellationToken.None);
        var third = await _worker.ProbeOnceAsync("eth0", 1, CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(20), second.NextRun - second.LastAttempt);
        Assert.Equal(TimeSpan.FromSeconds(40), third.NextRun - third.LastAttempt);
        Assert.Equal(ProbeWorker.MaxBackoff, _worker.DelayAfter(third with { ConsecutiveFailures = 30 }));

        _runner.Answer("eth0", "a", FakeProbeRunner.Refused());
        await _worker.ProbeOnceAsync("eth0", 0, CancellationToken.None);
        Assert.Null(_state.Capacity("eth0", ProbeDirection.Rx));
        Assert.Equal("unknown", _state.StateOf("eth0"));
    }

    [Fact]
    public async Task CorrectionFactor_AppliesAtOnce_AndPersists()
    {
        _runner.Answer("eth0", "a", FakeProbeRunner.Ok(100e6));
        await _worker.ProbeOnceAsync("eth0", 0, CancellationToken.None);

        Assert.Null(await _state.SetCorrectionFactorAsync(2.5, _time.GetUtcNow()));

        Assert.Equal(250e6, _state.Capacity("eth0", ProbeDirection.Rx));
        var reloaded = new CorrectionFactorStore(_data, 1.0);
        Assert.Equal((2.5, "state file"), (reloaded.Current, reloaded.Source));
    }

    [Fact]
    public void CorrectionFactorStore_UnreadableFile_KeepsTheConfiguredFactorAndSaysWhy()
    {
        File.WriteAllText(Path.Combine(_data, CorrectionFactorStore.FileName), "{ not json");

        var store = new CorrectionFactorStore(_data, 3);

        Assert.Equal((3.0, "config"), (store.Current, store.Source));
        Assert.Contains("is unreadable", store.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorrectionFactorStore_UnwritableDirectory_StillApplies_AndReportsTheError()
    {
        var file = Path.Combine(_data, "a-file");
        File.WriteAllText(file, "");
        var store = new CorrectionFactorStore(Path.Combine(file, "below"), 1);

        var error = await store.SetAsync(4, _time.GetUtcNow());

        Assert.Equal(4, store.Current);
        Assert.Contains("could not be saved", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeNow_MakesEveryTargetDue()
    {
        await _worker.ProbeDueAsync("eth0", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));

        _worker.ProbeNow();

        Assert.Equal(3, await _worker.ProbeDueAsync("eth0", CancellationToken.None));
    }
}
