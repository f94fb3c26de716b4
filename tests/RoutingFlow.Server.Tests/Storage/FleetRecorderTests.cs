using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Server.Diagnosis;
using RoutingFlow.Server.Fleet;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage;
using RoutingFlow.Server.Storage.Entities;

namespace RoutingFlow.Server.Tests.Storage;

/// <summary>
/// The watched routers' history on a real SQLite file: each fleet check's samples, rollups and estimated top-IP bytes
/// stored under their router and read back per router; the fleet's incidents diagnosed from that history.
/// </summary>
public sealed class FleetRecorderTests : IDisposable
{
    private static readonly RouterLayout Layout = new([new NicDeclaration("wan1", "wan1")], [], [], new NicMap(["wan1"], "wan1", [], 0), []);
    private readonly StorageHarness _storage = new();
    private readonly FleetOptions _options = new() { Prometheus = new FleetPrometheusOptions { Url = "http://prometheus:9090" } };
    private readonly FleetRecorder _recorder;
    private readonly HistoryQueries _queries;

    public FleetRecorderTests()
    {
        _recorder = new FleetRecorder(_storage.Writer, new FleetState(_options), _options, _storage.Options);
        _queries = new HistoryQueries(_storage.Factory, _storage.Schema);
    }

    public void Dispose() => _storage.Dispose();

    [Fact]
    public async Task EachCheck_IsStoredUnderItsRouter_WithMinuteRollupsAndTopIpBytes_AndStaleWansLeaveAGap()
    {
        await _storage.Schema.EnsureAsync(CancellationToken.None);
        var t0 = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
        for (var s = 0; s <= 65; s += 5) // 14 checks, 5 s apart: the first minute ends at the 13th
        {
            var at = t0.AddSeconds(s);
            _recorder.OnCheck(Check(at,
                ("router-a", Wan("wan0", at, 10e6)),
                ("router-b", Wan("wan1", at, 80e6, ("192.168.60.10", 64e6), ("192.168.60.11", 8e6))),
                ("router-b", Wan("wan2", at.AddMinutes(-5), 30e6)))); // stale: its router stopped exporting it
        }
        _recorder.OnCheck(new FleetView(t0.AddSeconds(70), "failing", "Prometheus is unreachable", TimeSpan.Zero, [])); // no sample: nothing
        _storage.Writer.Enqueue(new SampleItem(new WanSampleRow { Nic = "wan1", Time = t0.ToUnixTimeMilliseconds(), ActualRx = 1e6 })); // this router's own wan1
        await _storage.Writer.FlushAsync(CancellationToken.None);

        var b = await _queries.RawAsync("wan1", t0, t0.AddMinutes(2), CancellationToken.None, "router-b").ToListAsync();
        Assert.Equal(14, b.Count);
        Assert.All(b, p => Assert.Equal(("router-b", 80e6, 100e6), (p.Router, p.ActualRxBps, p.CapacityRxBps)));
        Assert.Equal(1e6, Assert.Single(await _queries.RawAsync("wan1", t0, t0.AddMinutes(2), CancellationToken.None).ToListAsync()).ActualRxBps);
        var all = await _queries.RawAsync(null, t0, t0.AddMinutes(2), CancellationToken.None, router: null).ToListAsync();
        Assert.Equal(["", "router-a", "router-b"], all.Select(p => p.Router).Distinct().Order(StringComparer.Ordinal));
        Assert.DoesNotContain(all, p => p.Nic == "wan2");

        var minute = Assert.Single(await _queries.MinutesAsync("wan1", t0, t0.AddMinutes(2), CancellationToken.None, "router-b").ToListAsync());
        Assert.Equal(("router-b", 80e6, t0), (minute.Router, minute.ActualRxBps, minute.Time));
        // 11 intervals of 5 s credited within the first minute (the first check only starts the clock): 64 Mbit/s × 55 s / 8
        var talkers = await _queries.TalkersAsync("wan1", t0, t0.AddMinutes(2), "rx", 10, CancellationToken.None, "router-b");
        Assert.Equal(["192.168.60.10", "192.168.60.11"], talkers.Select(t => t.Ip));
        Assert.Equal(64e6 * 55 / 8, talkers[0].RxBytes, 1.0);
        Assert.Empty(await _queries.TalkersAsync("wan1", t0, t0.AddMinutes(2), "rx", 10, CancellationToken.None));
    }

    [Fact]
    public async Task AWatchedRoutersIncident_IsDiagnosedFromThatRoutersHistory_NotThisRoutersSameNamedWan()
    {
        await _storage.Schema.EnsureAsync(CancellationToken.None);
        var start = new DateTimeOffset(2026, 12, 4, 12, 10, 0, TimeSpan.Zero);
        for (var s = -300; s <= 30; s += 5)
        {
            var at = start.AddSeconds(s);
            _recorder.OnCheck(Check(at, ("router-b", Wan("wan1", at, s < 0 ? 20e6 : 95e6, ("192.168.60.10", s < 0 ? 1e6 : 90e6)))));
            // this router's own wan1 is busy all along: read instead, the demand would not have risen
            _storage.Writer.Enqueue(new SampleItem(new WanSampleRow { Nic = "wan1", Time = at.ToUnixTimeMilliseconds(), CapacityRx = 100e6, ActualRx = 95e6 }));
        }
        await _storage.Writer.FlushAsync(CancellationToken.None);
        var reader = new EvidenceReader(_queries, Layout, new DiagnosisOptions());
        var incident = new Incident(7, "wan1", start, null, CompareMode.Combined, 100e6, null, 95e6, 5e6, null, null, 95e6, 5e6, 0.95, start,
            [new IpRate("192.168.60.10", 90e6)], [], null, null) { Over = OverDirection.Rx, Router = "router-b" };

        var evidence = (await reader.ReadAsync(incident, start.AddSeconds(30), CancellationToken.None))!;

        Assert.Equal((20e6, 95e6), (evidence.Baseline.RxBps, evidence.During.RxBps));
        Assert.Equal("192.168.60.10", Assert.Single(evidence.Growth).Ip);
        Assert.Null(evidence.RttBeforeSeconds);
        Assert.Equal(IncidentDiagnosis.Demand, Diagnoser.Diagnose(evidence, new DiagnosisOptions()).Cause);
    }

    private static FleetView Check(DateTimeOffset at, params (string Router, FleetWanSample Wan)[] wans) =>
        new(at, "ok", null, TimeSpan.Zero, [])
        {
            Sample = new FleetSample(at, wans.GroupBy(w => w.Router).ToDictionary(g => g.Key, g => (IReadOnlyList<FleetWanSample>)[.. g.Select(w => w.Wan)])),
        };

    private static FleetWanSample Wan(string nic, DateTimeOffset last, double rx, params (string Ip, double Bps)[] top) =>
        new(nic, 100e6, 20e6, rx, 5e6, last, [.. top.Select(t => new IpRate(t.Ip, t.Bps))], []);
}
