using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Capture.Pipeline;

/// <summary>
/// One consumer of the frames a capture decodes: the WAN accounting, the TCP analysis, the device statistics. Every
/// frame is decoded once, into a batch, and each consumer gets the whole batch in one call on the capture thread (one
/// interface call per batch, so that each consumer's own loop over the frames stays inlined), then a
/// <see cref="Publish"/> call about once a second on the same thread to hand a copy of its figures to readers.
/// A consumer is single-threaded: both calls come from the thread that owns it.
/// </summary>
public interface IPacketConsumer
{
    /// <summary>Takes a batch of decoded frames. Must not throw on any frame, nor keep the span.</summary>
    void Consume(ReadOnlySpan<CapturedPacket> batch);

    /// <summary>Publishes what the frames so far add up to (a copy readers on other threads may hold).</summary>
    void Publish(in PublishTime time);
}

/// <summary>
/// When a publication happens: <see cref="WallMicros"/> (Unix microseconds, the clock capture timestamps use, for
/// idle timeouts) and <see cref="MonotonicMicros"/> (for rates; immune to clock steps). Offline, both are the last
/// frame's capture time.
/// </summary>
public readonly record struct PublishTime(long WallMicros, long MonotonicMicros);
