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
    public void Bps_IsTheCounterRateOverTheProbesOwnWindow()
    {
        Counters("wan1", rx: 1_000_000, tx: 5);
        var line = LineMeter.Start("wan1", receiving: true, Frequency, 0, _root)!;
        var probe = new GoodputMeter(Frequency, 0);
        Counters("wan1", 1_000_000 + 2_500_000, 5); // 1 s: slow start, discarded
        (probe, line).Record(1000, 1_000_000);
        Counters("wan1", 1_000_000 + 2_500_000 + 10_000_000, 5); // 4 s more: 20 Mbit/s on the line, 12 of them the probe's
        (probe, line).Record(5000, 7_000_000);
        Counters("wan1", 1_000_000 + 2_500_000 + 10_000_000 + 5_000_000, 5);
        line.Sample(9000, force: true); // after the probe's last data (a late close): outside its window

        Assert.Equal(12e6, probe.GoodputBps(0.2)!.Value, 1e-6);
        Assert.Equal(20e6, line.Bps(probe, 0.2)!.Value, 1e-6);
    }

    [Fact]
    public void Sample_ReadsAtMostEveryMinGap_UnlessForced()
    {
        Counters("wan0", 0, 0);
        var line = LineMeter.Start("wan0", receiving: false, Frequency, 0, _root)!;
        var probe = new GoodputMeter(Frequency, 0);
        Counters("wan0", 0, 1_000);
        probe.Record(6, 900);
        line.Sample(5); // within 100 ms of the start: not read
        Assert.Null(line.Bps(probe, 0));
        line.Sample(6, force: true);
        Assert.Equal(1_000 * 8 / 0.006, line.Bps(probe, 0)!.Value, 1e-6);
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

internal static class LineMeterTestExtensions
{
    /// <summary>The probe records its progress and the line is read at the same moment, as the probes do.</summary>
    public static void Record(this (GoodputMeter Probe, LineMeter Line) meters, long timestamp, long bytes)
    {
        meters.Probe.Record(timestamp, bytes);
        meters.Line.Sample(timestamp);
    }
}
