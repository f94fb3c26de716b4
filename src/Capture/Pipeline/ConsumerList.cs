using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Capture.Pipeline;

/// <summary>
/// The consumers of one capture, fed in order: each gets every batch, then every publication. Held as an array so
/// that feeding them allocates nothing.
/// </summary>
public sealed class ConsumerList(IEnumerable<IPacketConsumer> consumers)
{
    private readonly IPacketConsumer[] _consumers = [.. consumers];

    public IReadOnlyList<IPacketConsumer> Consumers => _consumers;

    public void Consume(ReadOnlySpan<CapturedPacket> batch)
    {
        if (batch.IsEmpty)
            return;
        for (var i = 0; i < _consumers.Length; i++)
            _consumers[i].Consume(batch);
    }

    public void Publish(in PublishTime time)
    {
        for (var i = 0; i < _consumers.Length; i++)
            _consumers[i].Publish(time);
    }
}
