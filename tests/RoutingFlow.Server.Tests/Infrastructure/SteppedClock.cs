using Microsoft.Extensions.Time.Testing;

namespace RoutingFlow.Server.Tests.Infrastructure;

/// <summary>
/// A clock whose wall time can be stepped (as NTP or <c>date -s</c> steps a router's clock) while its monotonic
/// timestamps go on: <see cref="Advance"/> moves both, <see cref="Step"/> only the wall time.
/// </summary>
public sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _monotonic = new(start);
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => _monotonic.GetUtcNow() + _offset;

    public override long GetTimestamp() => _monotonic.GetTimestamp();

    public override long TimestampFrequency => _monotonic.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _monotonic.CreateTimer(callback, state, dueTime, period);

    public void Advance(TimeSpan by) => _monotonic.Advance(by);

    public void Step(TimeSpan by) => _offset += by;
}
