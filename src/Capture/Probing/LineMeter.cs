namespace RoutingFlow.Capture.Probing;

/// <summary>
/// The interface's own byte counter in one direction (the kernel's <c>/sys/class/net/ITF/statistics/rx_bytes</c>
/// or <c>tx_bytes</c>: every frame the line carried, the probe's and everyone else's) sampled while a probe runs,
/// at most every <see cref="MinGap"/>. A probe on a busy line only gets the room the others leave; the line's
/// total over the probe's measured window is what the line can carry.
/// </summary>
public sealed class LineMeter
{
    public static readonly TimeSpan MinGap = TimeSpan.FromMilliseconds(100);
    private readonly string _path;
    private readonly long _start;
    private readonly long _gap;
    private readonly GoodputMeter _meter;
    private long _last;

    private LineMeter(string path, long counter, long frequency, long timestamp)
    {
        (_path, _start, _gap, _last) = (path, counter, (long)(MinGap.TotalSeconds * frequency), timestamp);
        _meter = new GoodputMeter(frequency, timestamp);
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
        if (!force && timestamp - _last < _gap)
            return;
        _last = timestamp;
        if (Read(_path) is { } counter)
            _meter.Record(timestamp, counter - _start);
    }

    /// <summary>The line's rate over the same share of the time a probe measures (the first <paramref name="discardFirst"/> left out), bits/s.</summary>
    public double? Bps(double discardFirst) => _meter.GoodputBps(discardFirst);

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
