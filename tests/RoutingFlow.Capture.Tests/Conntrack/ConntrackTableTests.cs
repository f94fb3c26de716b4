using RoutingFlow.Capture.Conntrack;
using RoutingFlow.Testing.Conntrack;

namespace RoutingFlow.Capture.Tests.Conntrack;

public sealed class ConntrackTableTests
{
    [Fact]
    public void TryFind_NatConnection_FoundByEachTupleEitherWayRound()
    {
        var table = new ConntrackTable(16);
        var original = CtnetlinkMessages.Tuple("192.168.50.10", "192.0.2.100", 43210, 5201);
        var reply = CtnetlinkMessages.Tuple("192.0.2.100", "198.51.100.2", 5201, 43210);
        table.Upsert(Message(original, reply), new FixedResolver(AttributionSource.Nat, 0));

        foreach (var packet in new[] { original, original.Reverse(), reply, reply.Reverse() })
        {
            Assert.True(table.TryFind(packet, out var entry, out _, out _));
            Assert.Equal((original, reply, (byte)0, AttributionSource.Nat), (entry.Original, entry.Reply, entry.Nic, entry.Source));
        }
        Assert.False(table.TryFind(CtnetlinkMessages.Tuple("192.168.50.10", "192.0.2.100", 43211, 5201), out _, out _, out _));
    }

    [Fact]
    public void Upsert_MarkChanged_ResolvesAgainAndChangesTheGeneration()
    {
        var table = new ConntrackTable(16);
        var resolver = new FixedResolver(AttributionSource.Mark, 0);
        var original = CtnetlinkMessages.Tuple("fd50::10", "2001:db8:100::100", 1000, 80);
        table.Upsert(Message(original, original.Reverse(), 0x100), resolver);
        Assert.True(table.TryFind(original, out var before, out var slot, out var generation));
        table.Upsert(Message(original, original.Reverse(), 0x100), resolver); // same mark: nothing to resolve
        Assert.Equal(generation, table.GenerationOf(slot));

        table.Upsert(Message(original, original.Reverse(), 0x200), resolver);

        Assert.NotEqual(generation, table.GenerationOf(slot));
        Assert.True(table.TryFind(original, out var after, out _, out _));
        Assert.Equal(((byte)0, (byte)1), (before.Nic, after.Nic));
        Assert.Equal(2, resolver.Calls);
    }

    [Fact]
    public void Upsert_PastTheInitialSize_GrowsToItsCapOnly()
    {
        const int capacity = 10_000; // more than the 4,096 entries the table starts with
        var table = new ConntrackTable(capacity);
        ConntrackTuple Original(int i) => CtnetlinkMessages.Tuple($"10.1.{i / 256}.{i % 256}", "192.0.2.100", (ushort)(1024 + (i % 60_000)), 80);

        for (var i = 0; i <= capacity; i++)
            table.Upsert(Message(Original(i), Original(i).Reverse()), new FixedResolver());

        Assert.Equal(capacity, table.Count);
        Assert.Equal(1, table.Evictions); // the first one, least recently updated
        Assert.False(table.TryFind(Original(0), out _, out _, out _));
        for (var i = 1; i <= capacity; i++)
            Assert.True(table.TryFind(Original(i).Reverse(), out _, out _, out _), $"connection {i}");
    }

    [Fact]
    public void RandomOperations_MatchADictionaryModel_WithLeastRecentlyUpdatedEvicted()
    {
        const int capacity = 64;
        var table = new ConntrackTable(capacity);
        var model = new Dictionary<ConntrackTuple, ConntrackTuple>(); // original -> reply
        var order = new List<ConntrackTuple>(); // least recently updated first
        var random = new Random(2222);
        long evictions = 0;
        for (var step = 0; step < 20_000; step++)
        {
            var host = random.Next(1, 8);
            var port = random.Next(1000, 1040);
            var original = CtnetlinkMessages.Tuple("192.168.50." + host, "192.0.2.100", (ushort)port, 80);
            var reply = host % 2 == 0 ? original.Reverse() : CtnetlinkMessages.Tuple("192.0.2.100", "198.51.100.2", 80, (ushort)(2000 + (host * 40) + port - 1000)); // even hosts not NATed
            if (random.Next(4) == 0)
            {
                Assert.Equal(model.Remove(original), table.Remove(original));
                order.Remove(original);
            }
            else
            {
                if (!model.TryGetValue(original, out var existing))
                {
                    if (model.Count == capacity)
                    {
                        model.Remove(order[0]);
                        order.RemoveAt(0);
                        evictions++;
                    }
                    model[original] = existing = reply;
                }
                order.Remove(original);
                order.Add(original);
                table.Upsert(Message(original, existing), new FixedResolver());
            }
            Assert.Equal(model.Count, table.Count);
        }
        Assert.Equal(evictions, table.Evictions);
        Assert.Equal(order.AsEnumerable().Reverse(), table.ToList().Select(e => e.Original));
        foreach (var (original, reply) in model)
        {
            Assert.True(table.TryFind(reply.Reverse(), out var entry, out _, out _));
            Assert.Equal(original, entry.Original);
            Assert.True(table.TryFind(original.Reverse(), out entry, out _, out _));
            Assert.Equal(reply, entry.Reply);
        }
    }

    [Fact]
    public void EndResync_DropsWhatTheReReadDidNotSee()
    {
        var table = new ConntrackTable(16);
        var kept = CtnetlinkMessages.Tuple("192.168.50.10", "192.0.2.100", 1, 80);
        var gone = CtnetlinkMessages.Tuple("192.168.50.10", "192.0.2.100", 2, 80);
        table.Upsert(Message(kept, kept.Reverse()), new FixedResolver());
        table.Upsert(Message(gone, gone.Reverse()), new FixedResolver());

        table.BeginResync();
        table.Upsert(Message(kept, kept.Reverse()), new FixedResolver());
        Assert.Equal(1, table.EndResync());

        Assert.True(table.TryFind(kept, out _, out _, out _));
        Assert.False(table.TryFind(gone, out _, out _, out _));
    }

    /// <summary>
    /// At the default size a full table holds at most 128 bytes per connection (issue's goal); an empty one only its
    /// index and generations (8 bytes per possible connection), its entries growing as connections come. Measured on
    /// this thread's allocations and the table's arrays, not the process's heap, which other tests move meanwhile.
    /// </summary>
    [Fact]
    public void DefaultSize_EmptyTakesItsIndex_FullAtMost128BytesPerConnection()
    {
        const int size = 262_144;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var table = new ConntrackTable(size);
        var empty = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)size;
        for (var i = 0; i < size; i++)
        {
            var original = CtnetlinkMessages.Tuple($"10.{i >> 16}.{(i >> 8) & 255}.{i & 255}", "192.0.2.100", 40_000, 80);
            table.Upsert(Message(original, original.Reverse()), new FixedResolver());
        }

        Assert.Equal(size, table.Count);
        Assert.InRange(empty, 8, 10);
        Assert.InRange(table.RetainedBytes / (double)size, 100, 128);
    }

    internal static ConntrackMessage Message(ConntrackTuple original, ConntrackTuple reply, uint mark = 0) =>
        new() { Original = original, Reply = reply, Mark = mark, HasMark = true };
}
