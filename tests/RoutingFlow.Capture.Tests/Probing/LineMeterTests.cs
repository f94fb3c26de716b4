using RoutingFlow.Capture.Probing;

namespace RoutingFlow.Capture.Tests.Probing;

public sealed class LineMeterTests : IDisposable
{
    private const long Frequency = 1000; // timestamps in milliseconds
    private readonly string _root = Directory.CreateTempSubdirectory("rf-line-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Counters(string itf, long rx, long tx)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, itf, "statistics")).FullName;
        File.WriteAllText(Path.Combine(dir, "rx_bytes"), $"{rx}\n");
        File.WriteAllText(Path.Combine(dir, "tx_bytes"), $"{tx}\n");
    }

    [Fact]
    public void Bps_IsTheCounterRateAfterTheDiscardedShare()
    {
        Counters("wan1", rx: 1_000_000, tx: 5);
        var line = LineMeter.Start("wan1", receiving: true, Frequency, 0, _root)!;
        Counters("wan1", 1_000_000 + 2_500_000, 5); // 1 s: slow start, discarded
        line.Sample(1000);
        Counters("wan1", 1_000_000 + 2_500_000 + 10_000_000, 5); // 4 s more: 20 Mbit/s
        line.Sample(5000);

        Assert.Equal(20e6, line.Bps(0.2)!.Value, 1e-6);
    }

    [Fact]
    public void Sample_ReadsAtMostEveryMinGap_UnlessForced()
    {
        Counters("wan0", 0, 0);
        var line = LineMeter.Start("wan0", receiving: false, Frequency, 0, _root)!;
        Counters("wan0", 0, 1_000);
        line.Sample(50); // within 100 ms of the start: not read
        Assert.Null(line.Bps(0));
        line.Sample(60, force: true);
        Assert.Equal(1_000 * 8 / 0.06, line.Bps(0)!.Value, 1e-6);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("../wan0")]
    [InlineData("..")]
    [InlineData("")]
    public void Start_WithoutACounter_IsNull(string itf)
    {
        Counters("wan0", 0, 0);
        Assert.Null(LineMeter.Start(itf, receiving: true, Frequency, 0, _root));
    }

    [Fact]
    public void Start_ReadsTheKernelsLoopbackCounter()
    {
        Assert.NotNull(LineMeter.Start("lo", receiving: true, Frequency, 0));
    }
}
