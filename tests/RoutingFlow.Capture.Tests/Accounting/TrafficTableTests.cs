using System.Runtime.CompilerServices;
using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Tests.Accounting;

public class TrafficTableTests
{
    private static TrafficKey Key(uint i, byte nic = 0) => new(IpAddr.FromV4(0x0A000000 + i), nic);

    [Fact]
    public void GetOrAdd_SameKey_ReturnsSameCounters()
    {
        var table = new TrafficTable(8);
        table.GetOrAdd(Key(1)).TxBytes += 10;
        table.GetOrAdd(Key(1)).TxBytes += 5;
        table.GetOrAdd(Key(1, nic: 1)).TxBytes += 1;

        Assert.True(table.TryGet(Key(1), out var counters));
        Assert.Equal(15, counters.TxBytes);
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void GetOrAdd_WhenFull_ReturnsNullRefAndCountsOverflow()
    {
        var table = new TrafficTable(4);
        for (uint i = 0; i < 4; i++)
            table.GetOrAdd(Key(i));

        Assert.True(Unsafe.IsNullRef(ref table.GetOrAdd(Key(99))));
        Assert.Equal(1, table.Overflows);
        Assert.False(Unsafe.IsNullRef(ref table.GetOrAdd(Key(2))));
    }

    [Fact]
    public void EvictIdle_RemovesOnlyOldKeys()
    {
        var table = new TrafficTable(100);
        for (uint i = 0; i < 50; i++)
            table.GetOrAdd(Key(i)).LastSeenMicros = i;

        Assert.Equal(20, table.EvictIdle(20));
        Assert.Equal(30, table.Count);
        Assert.Equal(20, table.Evictions);
        Assert.False(table.TryGet(Key(19), out _));
        Assert.True(table.TryGet(Key(20), out _));
    }

    [Fact]
    public void EvictOldest_KeepsTheMostRecent()
    {
        var table = new TrafficTable(100);
        for (uint i = 0; i < 100; i++)
            table.GetOrAdd(Key(i)).LastSeenMicros = 1000 + i;

        table.EvictOldest(60);

        Assert.Equal(60, table.Count);
        Assert.True(table.TryGet(Key(99), out _));
        Assert.False(table.TryGet(Key(39), out _));
    }

    /// <summary>A live table holds its whole cap (the default 65,536 hosts once stopped at 57,344), takes the new hosts of a second in its headroom, and evicts the least recently seen down to the cap.</summary>
    [Fact]
    public void EvictAndCopy_WithHeadroom_HoldsTheWholeCap_AndEvictsOnlyPastIt()
    {
        var table = new TrafficTable(65_536, headroom: 65_536 / 8);
        for (uint i = 0; i < 65_536; i++)
            table.AddRx(Key(i), 100, 1000 + i);

        Assert.Equal(65_536, table.EvictAndCopy(0).Count);
        Assert.Equal(0, table.Evictions);

        for (uint i = 65_536; i < 70_000; i++) // new hosts within a second: counted, not dropped
            table.AddRx(Key(i), 100, 1000 + i);
        Assert.Equal((70_000, 0L), (table.Count, table.Overflows));
        var published = table.EvictAndCopy(0);

        Assert.Equal(65_536, published.Count);
        Assert.Equal(70_000 - 65_536, table.Evictions);
        Assert.False(table.TryGet(Key(4_463), out _)); // the least recently seen went
        Assert.True(table.TryGet(Key(69_999), out _));
    }

    [Fact]
    public void Capacity_GrowsWithTheKeysAndShrinksAfterIdleEviction()
    {
        var table = new TrafficTable(65_536);
        Assert.Equal(8_192, table.Capacity); // sized for the default 4,096 keys, not for the cap

        for (uint i = 0; i < 20_000; i++)
            table.GetOrAdd(Key(i)).LastSeenMicros = i < 100 ? 1_000_000 : 1;
        Assert.Equal(32_768, table.Capacity);

        Assert.Equal(19_900, table.EvictIdle(cutoffMicros: 2));
        Assert.Equal(8_192, table.Capacity);
        Assert.Equal(100, table.Count);
        for (uint i = 0; i < 100; i++)
            Assert.True(table.TryGet(Key(i), out _));
    }

    [Theory]
    [InlineData(null)] // starts at its largest size (512 keys): never resizes
    [InlineData(8)] // starts small: grows, and shrinks when evictions empty it
    public void RandomOperations_AgreeWithDictionaryModel(int? initialEntries)
    {
        var random = new Random(7);
        var table = new TrafficTable(512, initialEntries ?? 512);
        var model = new Dictionary<TrafficKey, long>();
        for (var step = 0; step < 200_000; step++)
        {
            var key = Key((uint)random.Next(600), (byte)random.Next(2));
            if (random.Next(50) == 0)
            {
                var cutoff = step - 3000;
                table.EvictIdle(cutoff);
                foreach (var k in model.Where(kv => kv.Value < cutoff).Select(kv => kv.Key).ToList())
                    model.Remove(k);
                continue;
            }
            ref var counters = ref table.GetOrAdd(key);
            if (Unsafe.IsNullRef(ref counters))
            {
                Assert.Equal(512, model.Count);
                Assert.False(model.ContainsKey(key));
                continue;
            }
            counters.LastSeenMicros = step;
            model[key] = step;
        }
        Assert.Equal(model.Count, table.Count);
        foreach (var (key, seen) in model)
        {
            Assert.True(table.TryGet(key, out var counters));
            Assert.Equal(seen, counters.LastSeenMicros);
        }
    }
}
