using RoutingFlow.Capture.Connections;

namespace RoutingFlow.Capture.Tests.Connections;

public class ConnectionTableTests
{
    private static ConnectionKey Key(ushort sport, ushort dport = 80, int device = 7, ConnectionDirection direction = ConnectionDirection.Egress,
        ConnectionProtocol protocol = ConnectionProtocol.Tcp) => new(device, sport, dport, direction, protocol);

    private static Dictionary<ConnectionKey, ConnectionEntry> Entries(ConnectionTable table)
    {
        var list = new List<ConnectionEntry>();
        table.CopyTo(list);
        return list.ToDictionary(e => e.Key);
    }

    [Fact]
    public void Add_KeepsEveryTupleApart_WhereTheOriginalAdditiveKeyMergedThem()
    {
        var table = new ConnectionTable(64);
        // The original key was device + sport + dport + direction + protocol summed into 32 bits: these four collided.
        table.Add(Key(1000, 2000), 100, 1);
        table.Add(Key(2000, 1000), 200, 2);
        table.Add(Key(1001, 1999), 300, 3);
        table.Add(Key(1000, 2000, direction: ConnectionDirection.Ingress), 400, 4);
        table.Add(Key(1000, 2000), 50, 5);

        var entries = Entries(table);

        Assert.Equal(4, entries.Count);
        Assert.Equal((2L, 150L, 5L), (entries[Key(1000, 2000)].Packets, entries[Key(1000, 2000)].Bytes, entries[Key(1000, 2000)].LastActiveMicros));
        Assert.Equal(200, entries[Key(2000, 1000)].Bytes);
    }

    [Fact]
    public void Id_IsOneToOne_AndStable()
    {
        var keys = new[] { Key(1, 2), Key(2, 1), Key(1, 2, device: 8), Key(1, 2, protocol: ConnectionProtocol.Udp), Key(1, 2, direction: ConnectionDirection.Ingress),
            Key(65535, 65535, device: (1 << 30) - 1) };

        Assert.Equal(keys.Length, keys.Select(k => k.Id).Distinct().Count());
        Assert.All(keys, k => Assert.Equal(k, ConnectionKey.FromId(k.Id)));
        Assert.Equal(0x1D_0001_0002UL, Key(1, 2).Id); // device 7 << 34 | egress << 32 | ports
    }

    [Fact]
    public void WhenFull_TheLeastRecentlyActiveEntryIsEvicted_AndCounted()
    {
        var table = new ConnectionTable(3);
        table.Add(Key(1), 1, 1_000_000);
        table.Add(Key(2), 1, 1_000_000);
        table.Add(Key(3), 1, 1_000_000);
        table.Add(Key(1), 1, 5_000_000); // key 1 is now the most recent, key 2 the least

        table.Add(Key(4), 1, 5_000_000);

        Assert.Equal(1, table.Evictions);
        Assert.Equal([1, 3, 4], Entries(table).Keys.Select(k => (int)k.SourcePort).Order());
    }

    [Fact]
    public void ExpireIdle_RemovesEntriesIdleBeforeTheCutoff()
    {
        var table = new ConnectionTable(16);
        table.Add(Key(1), 1, 1_000_000);
        table.Add(Key(2), 1, 9_000_000);

        Assert.Equal(1, table.ExpireIdle(5_000_000));

        Assert.Equal([2], Entries(table).Keys.Select(k => (int)k.SourcePort));
        Assert.Equal(1, table.Expired);
    }

    [Fact]
    public void RemoveDevice_ResetsOneDevice_AndSetTakesABackendsTotals()
    {
        var table = new ConnectionTable(16);
        table.Add(Key(1, device: 7), 10, 1);
        table.Add(Key(1, device: 8), 10, 1);
        table.Set(Key(9, device: 8), packets: 5, bytes: 500, lastActiveMicros: 2);

        Assert.Equal(1, table.RemoveDevice(7));

        var entries = Entries(table);
        Assert.Equal(2, entries.Count);
        Assert.Equal((5L, 500L), (entries[Key(9, device: 8)].Packets, entries[Key(9, device: 8)].Bytes));
    }

    [Fact]
    public void ManyEntries_GrowTheTable_AndStayFindable()
    {
        var table = new ConnectionTable(100_000);
        for (var i = 0; i < 50_000; i++)
            table.Add(Key((ushort)i, (ushort)(i >> 16), device: i % 3), 1, i);
        for (var i = 0; i < 50_000; i++)
            table.Add(Key((ushort)i, (ushort)(i >> 16), device: i % 3), 1, i);

        Assert.Equal(50_000, table.Count);
        Assert.All(Entries(table).Values, e => Assert.Equal(2, e.Packets));
    }
}
