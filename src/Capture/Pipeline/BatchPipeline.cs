using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Capture.Pipeline;

/// <summary>
/// Feeds consumers on a thread of their own, batch by batch and in order, while the caller reads and counts the next
/// batches: an offline analysis uses both cores (the reading, decoding and endpoint accounting on one; the TCP and
/// protocol analysis on the other). Batches go round a fixed set of <see cref="PacketBatch"/> buffers, never copied:
/// the caller rents one, fills it, counts it and submits it; the worker hands it back once its consumers are done. A
/// slow worker makes <see cref="Rent"/> wait, so memory stays bounded. A consumer that throws stops the worker and
/// the exception comes back from <see cref="Complete"/>.
/// </summary>
public sealed class BatchPipeline : IDisposable
{
    private readonly BlockingCollection<PacketBatch> _free = new(new ConcurrentQueue<PacketBatch>());
    private readonly BlockingCollection<PacketBatch> _full = new(new ConcurrentQueue<PacketBatch>());
    private readonly ConsumerList _consumers;
    private readonly Thread _worker;
    private ExceptionDispatchInfo? _failure;

    /// <param name="depth">Buffers in the round: how far the reader may run ahead of the consumers.</param>
    public BatchPipeline(int linkType, IEnumerable<IPacketConsumer> consumers, int depth = 8, int batchCapacity = PacketBatch.DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 2);
        _consumers = new ConsumerList(consumers);
        for (var i = 0; i < depth; i++)
            _free.Add(new PacketBatch(linkType, batchCapacity));
        _worker = new Thread(Run) { IsBackground = true, Name = "routingflow analysis" };
        _worker.Start();
    }

    /// <summary>A buffer to fill (waits while every buffer is with the consumers); rethrows a consumer's exception once the worker has stopped on it.</summary>
    public PacketBatch Rent()
    {
        if (_free.TryTake(out var batch, Timeout.Infinite))
            return batch;
        _worker.Join();
        _failure?.Throw();
        throw new InvalidOperationException("the analysis pipeline has stopped");
    }

    /// <summary>Hands a filled buffer to the consumers; it comes back through <see cref="Rent"/> once they are done.</summary>
    public void Submit(PacketBatch batch) => _full.Add(batch);

    /// <summary>Waits until the consumers have had every batch submitted; rethrows a consumer's exception.</summary>
    public void Complete()
    {
        if (!_full.IsAddingCompleted)
            _full.CompleteAdding();
        _worker.Join();
        _failure?.Throw();
    }

    public void Dispose()
    {
        if (!_full.IsAddingCompleted)
            _full.CompleteAdding();
        _worker.Join();
        _free.Dispose();
        _full.Dispose();
    }

    private void Run()
    {
        try
        {
            foreach (var batch in _full.GetConsumingEnumerable())
            {
                _consumers.Consume(batch.Packets);
                _free.Add(batch);
            }
        }
        catch (Exception e)
        {
            _failure = ExceptionDispatchInfo.Capture(e);
            _free.CompleteAdding(); // a waiting Rent fails rather than waits forever
        }
    }
}
