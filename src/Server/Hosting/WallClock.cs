namespace RoutingFlow.Server.Hosting;

/// <summary>The wall time now, and how far the wall clock stepped since the previous reading (zero when it did not).</summary>
public readonly record struct ClockReading(DateTimeOffset Now, TimeSpan Step);

/// <summary>
/// The wall clock as a timing loop reads it: each reading says how far the wall clock stepped (NTP setting a router's
/// clock after boot, an operator's <c>date -s</c>) since the previous one, measured against the monotonic clock. A
/// loop that keeps wall times (an overload's start, an alert's pending time) moves them by the step, so that the
/// durations it measures follow the monotonic clock and never go negative or stall, while the wall time only labels.
/// A difference within <see cref="Tolerance"/> is drift or slewing, not a step. One per loop, one caller at a time.
/// </summary>
public sealed partial class WallClock(TimeProvider time, ILogger? logger = null, string? loop = null)
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(2);

    private DateTimeOffset _lastWall;
    private long _lastTimestamp;
    private bool _started;

    /// <summary>Steps seen by this loop.</summary>
    public int Steps { get; private set; }

    public ClockReading Read()
    {
        var wall = time.GetUtcNow();
        var timestamp = time.GetTimestamp();
        var step = TimeSpan.Zero;
        if (_started)
        {
            var difference = wall - _lastWall - time.GetElapsedTime(_lastTimestamp, timestamp);
            if (difference.Duration() > Tolerance)
            {
                step = difference;
                Steps++;
                if (logger is not null)
                    LogStepped(logger, loop ?? "a loop", step.TotalSeconds);
            }
        }
        (_lastWall, _lastTimestamp, _started) = (wall, timestamp, true);
        return new ClockReading(wall, step);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The wall clock stepped by {Seconds:0.###} s: {Loop} measures its durations across the step by the monotonic clock; times are labelled by the new wall clock")]
    private static partial void LogStepped(ILogger logger, string loop, double seconds);
}
