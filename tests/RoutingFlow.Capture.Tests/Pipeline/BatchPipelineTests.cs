using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Capture.Tests.Pipeline;

public class BatchPipelineTests
{
    /// <summary>Records the timestamps it is fed, on whichever thread feeds it.</summary>
    private sealed class Recording(int throwAt = -1) : IPacketConsumer
    {
        public List<long> Seen { get; } = [];

        public int Thread { get; private set; }

        public void Consume(ReadOnlySpan<CapturedPacket> batch)
        {
            Thread = Environment.CurrentManagedThreadId;
            foreach (var p in batch)
            {
                if (p.TimestampMicros == throwAt)
                    throw new InvalidOperationException("consumer failed");
                Seen.Add(p.TimestampMicros);
            }
        }

        public void Publish(in PublishTime time)
        {
        }
    }

    private static unsafe void Fill(PacketBatch batch, long first, int count)
    {
        for (var i = 0; i < count; i++)
            batch.Slot(i).TimestampMicros = first + i;
        batch.State->Count = count;
    }

    [Fact]
    public void EveryBatch_InOrder_OnTheWorkersThread_ThroughAFewReusedBuffers()
    {
        var consumer = new Recording();
        var rented = new HashSet<PacketBatch>(ReferenceEqualityComparer.Instance);
        using (var pipeline = new BatchPipeline(1, [consumer], depth: 3, batchCapacity: 16))
        {
            for (var b = 0; b < 200; b++)
            {
                var batch = pipeline.Rent();
                rented.Add(batch);
                Fill(batch, b * 10L, 10);
                pipeline.Submit(batch);
            }
            pipeline.Complete();
        }

        Assert.Equal(Enumerable.Range(0, 2_000).Select(i => (long)i), consumer.Seen);
        Assert.NotEqual(Environment.CurrentManagedThreadId, consumer.Thread);
        Assert.Equal(3, rented.Count);
    }

    [Fact]
    public void AConsumerThatThrows_ComesBackFromComplete_AndRentDoesNotHang()
    {
        using var pipeline = new BatchPipeline(1, [new Recording(throwAt: 25)], depth: 2, batchCapacity: 16);
        var failed = Record.Exception(() =>
        {
            for (var b = 0; b < 100; b++)
            {
                var batch = pipeline.Rent();
                Fill(batch, b * 10L, 10);
                pipeline.Submit(batch);
            }
        });

        Assert.IsType<InvalidOperationException>(failed); // Rent, once the worker stopped
        Assert.Equal("consumer failed", Assert.Throws<InvalidOperationException>(pipeline.Complete).Message);
    }
}
