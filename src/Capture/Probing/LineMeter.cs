namespace RoutingFlow.Capture.Probing;

/// <summary>
/// The interface's own byte counter in one direction (the kernel's <c>/sys/class/net/ITF/statistics/rx_bytes</c>
/// or <c>tx_bytes</c>: every frame the line carried, the probe's and everyone else's) sampled while a probe runs,
/// as the probe records its own progress, at most every <see cref="MinGap"/>. A probe on a busy line only gets the
/// room the others leave; the line's total over the probe's measured window is what the line can carry.
/// </summary>
public sealed class LineMeter
{
    /// <summary>
    /// The two windows match within 100 ms at each end, 3% of a 3-second probe. Reading every 10 ms was tried: on
    /// loopback at 10+ Gbit/s it slowed the transfer itself now and then (goodput 50 Mbit/s in 1 of 8 runs).
    /// </summary>
    public static readonly TimeSpan MinGap = TimeSpan.FromMilliseconds(100);
    private readonly string _path;
    private readonly long _start;
    private readonly long _gap;
    private readonly double _frequency;
    private readonly List<(long Timestamp, long Bytes)> _samples = [];

    private LineMeter(string path, long counter, long frequency, long timestamp)
    {
        (_path, _start, _gap, _frequency) = (path, counter, (long)(MinGap.TotalSeconds * frequency), frequency);
        _samples.Add((timestamp, 0));
    }

    /// <summary>Starts following <paramref name="itf"/>'s counter; null where the kernel has none to read (not Linux, no such interface).</summary>
    public static LineMeter? Start(string itf, bool receiving, long frequency, long timestamp, string root = "/sys/class/net")
    {
        if (itf.Length == 0 || itf.Contains('/') || itf is "." or "..")
            return null;
        var path = Path.Combine(root, itf, "statistics", receiving ? "rx_bytes" : "tx_bytes");
        return Read(path) is { } counter ? new LineMeter(path, counter, frequency, timestamp) : null;
    }

    /// <summary>Reads the counter when <see cref="MinGap"/> has passed since the last read (or when <paramref name="force"/>).</summary>
    public void Sample(long timestamp, bool force = false)
    {
        if (!force && timestamp - _samples[^1].Timestamp < _gap)
            return;
        if (Read(_path) is { } counter)
            _samples.Add((Math.Max(timestamp, _samples[^1].Timestamp), Math.Max(counter - _start, _samples[^1].Bytes)));
    }

    /// <summary>
    /// The line's rate over the probe's own measured window (<see cref="GoodputMeter.Window"/>): from the last read at
    /// or before its start to the last read at or before its end, so that a stall after the data (the server closing
    /// late) counts in neither; bits/s, null with no read inside.
    /// </summary>
    public double? Bps(GoodputMeter probe, double discardFirst)
    {
        var (from, to) = probe.Window(discardFirst);
        (long Timestamp, long Bytes)? first = null, last = null;
        foreach (var sample in _samples)
        {
            if (sample.Timestamp <= from.Timestamp)
                first = sample;
            if (sample.Timestamp <= to.Timestamp)
                last = sample;
        }
        if (first is not { } a || last is not { } b || b.Timestamp - a.Timestamp <= 0)
            return null;
        var seconds = (b.Timestamp - a.Timestamp) / _frequency;
        return seconds >= 0.001 ? (b.Bytes - a.Bytes) * 8 / seconds : null;
    }

    private static long? Read(string path)
    {
        try
        {
            return long.TryParse(File.ReadAllText(path).AsSpan().Trim(), out var value) ? value : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
