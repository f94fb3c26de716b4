using RoutingFlow.Capture.Tables;

namespace RoutingFlow.Capture.Tests.Tables;

public class LruTableTests
{
    /// <summary>A key whose hash the test chooses (equal hashes share a bucket's chain).</summary>
    private readonly record struct Key(int Id, ulong H) : ITableKey<Key>
    {
        public ulong Hash() => H;
    }

    private static Key K(int id) => new(id, (ulong)id * 0x9E3779B97F4A7C15UL);

    private static int Add(LruTable<Key, long> table, Key key, long micros = 0, int list = 0) => table.Add(key, key.Hash(), micros, list);

    [Fact]
    public void AddFindRemove_AndTheCapIsTheCallersToHandle()
    {
        var table = new LruTable<Key, long>(maxEntries: 3, initialEntries: 1);
        var a = Add(table, K(1));
        table[a] = 10;
        Add(table, K(2));
        Add(table, K(3));

        Assert.Equal(-1, Add(table, K(4))); // full: the caller evicts
        Assert.Equal(3, table.Count);
        Assert.Equal(3, table.Capacity); // grew 1 → 2 → 3, never past the cap
        Assert.Equal(10, table[table.Find(K(1), K(1).Hash())]);
        Assert.Equal(-1, table.Find(K(4), K(4).Hash()));

        table.Remove(a);
        Assert.Equal(-1, table.Find(K(1), K(1).Hash()));
        var reused = Add(table, K(4));
        Assert.Equal(a, reused); // the freed slot, with a default value
        Assert.Equal(0, table[reused]);
        Assert.Equal(K(4), table.KeyAt(reused));
    }

    [Fact]
    public void SharedBuckets_RemovingFromAnywhereInTheChain_KeepsTheRestFindable()
    {
        var table = new LruTable<Key, long>(64, 64);
        var keys = Enumerable.Range(0, 6).Select(i => new Key(i, 7)).ToList(); // one bucket
        var slots = keys.Select(k => Add(table, k)).ToList();

        table.Remove(slots[0]);
        table.Remove(slots[3]);
        table.Remove(slots[5]);

        Assert.Equal([-1, slots[1], slots[2], -1, slots[4], -1], keys.Select(k => table.Find(k, 7)));
    }

    [Fact]
    public void Grow_KeepsEveryEntryFindable_WithItsValue()
    {
        var table = new LruTable<Key, long>(10_000, 16);
        for (var i = 0; i < 5_000; i++)
            table[Add(table, K(i))] = i;

        Assert.True(table.Capacity is >= 5_000 and <= 8_192);
        Assert.All(Enumerable.Range(0, 5_000), i => Assert.Equal(i, table[table.Find(K(i), K(i).Hash())]));
    }

    [Fact]
    public void Oldest_IsTheLeastRecentlyTouched_MovingAtMostOncePerTick()
    {
        const long Tick = 1 << 20;
        var table = new LruTable<Key, long>(8, 8);
        var a = Add(table, K(1), 0);
        var b = Add(table, K(2), 0);
        Assert.Equal(a, table.Oldest());

        table.Touch(a, 1); // same tick as its add: stays where it is
        Assert.Equal(a, table.Oldest());

        table.Touch(a, Tick);
        Assert.Equal(b, table.Oldest());
        table.Remove(b);
        Assert.Equal(a, table.Oldest());
        table.Remove(a);
        Assert.Equal(-1, table.Oldest());
    }

    [Fact]
    public void MoveTo_PutsTheEntryOnAnotherList_EachWithItsOwnOrder()
    {
        var table = new LruTable<Key, long>(8, 8, lists: 2);
        var a = Add(table, K(1));
        var b = Add(table, K(2));
        var c = Add(table, K(3));

        table.MoveTo(b, 1);
        table.MoveTo(a, 1);

        Assert.Equal((c, b), (table.Oldest(0), table.Oldest(1)));
        Assert.Equal((1, 0), (table.ListOf(a), table.ListOf(c)));
        table.Remove(b);
        Assert.Equal(a, table.Oldest(1));
        Assert.True(table.InUse(a));
        Assert.False(table.InUse(b));
    }
}
