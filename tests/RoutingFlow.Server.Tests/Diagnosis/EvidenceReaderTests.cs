using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Server.Diagnosis;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage;
using RoutingFlow.Server.Storage.Entities;
using RoutingFlow.Server.Tcp;
using RoutingFlow.Server.Tests.Storage;

namespace RoutingFlow.Server.Tests.Diagnosis;

/// <summary>The evidence read back from a real SQLite file: the samples' medians and the TCP loss summed per window.</summary>
public sealed class EvidenceReaderTests : IDisposable
{
    private readonly StorageHarness _storage = new();

    public void Dispose() => _storage.Dispose();

    private static readonly RouterLayout Layout = new([new NicDeclaration("wan1", "wan1")], [], [], new NicMap(["wan1"], "wan1", [], 0), []);

    [Fact]
    public async Task Loss_IsTheLostSegmentsPerDataSegmentOfEachWindow()
    {
        await _storage.Schema.EnsureAsync(CancellationToken.None);
        var start = _storage.Time.GetUtcNow();
        for (var s = -120; s < 30; s++)
        {
            var during = s >= 0;
            _storage.Writer.Enqueue(new SampleItem(new WanSampleRow
            {
                Nic = "wan1", Time = start.AddSeconds(s).ToUnixTimeMilliseconds(), CapacityRx = during ? 5e6 : 20e6, ActualRx = during ? 5e6 : 8e6,
                // before: 1 retransmission per 1000 segments; during: 40 missing and 30 retransmitted per 1000 (a loss counts once: the larger)
                TcpSegments = 1000, TcpMissing = during ? 40 : 0, TcpRetransmitted = during ? 30 : 1,
            }));
        }
        _storage.Writer.Enqueue(new SampleItem(new WanSampleRow { Nic = "wan1", Time = start.AddSeconds(-130).ToUnixTimeMilliseconds(), ActualRx = 8e6 })); // no TCP analysis then
        await _storage.Writer.FlushAsync(CancellationToken.None);
        var reader = new EvidenceReader(new HistoryQueries(_storage.Factory, _storage.Schema), Layout, new DiagnosisOptions());

        var evidence = (await reader.ReadAsync(Incident(start), start.AddSeconds(30), CancellationToken.None))!;

        Assert.Equal(0.001, evidence.LossBefore!.Value, 1e-9);
        Assert.Equal(0.04, evidence.LossDuring!.Value, 1e-9);
        Assert.Equal((20e6, 5e6), (evidence.CapacityBefore.RxBps, evidence.CapacityDuring.RxBps));
        Assert.Equal("capacity", Diagnoser.Diagnose(evidence, new DiagnosisOptions()).Cause);
    }

    [Theory]
    [InlineData(19, 5, 5, null)]
    [InlineData(20, 1, 0, 0.05)]
    [InlineData(1000, 40, 30, 0.04)]
    [InlineData(1000, 2, 7, 0.007)]
    [InlineData(1000, 0, 0, 0.0)]
    public void Ratio_TakesTheLargerOfMissingAndRetransmitted_FromEnoughSegments(long segments, long missing, long retransmitted, double? ratio) =>
        Assert.Equal(ratio, new TcpLossCounts(segments, missing, retransmitted).Ratio());

    private static Incident Incident(DateTimeOffset start) => new(
        1, "wan1", start, null, CompareMode.Combined, 5e6, null, 5e6, 6e4, null, null, 5e6, 6e4, 1.0, start,
        [new IpRate("192.168.50.11", 5e6)], [], null, null)
    {
        Over = OverDirection.Rx,
    };
}
