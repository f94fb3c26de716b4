using RoutingFlow.Capture.Conntrack;
using RoutingFlow.Testing.Conntrack;

namespace RoutingFlow.Capture.Tests.Conntrack;

public sealed class ConntrackReaderTests
{
    private static readonly ConntrackTuple A = CtnetlinkMessages.Tuple("192.168.50.10", "192.0.2.100", 1000, 80);
    private static readonly ConntrackTuple B = CtnetlinkMessages.Tuple("192.168.50.11", "192.0.2.100", 1001, 80);
    private static readonly ConntrackTuple C = CtnetlinkMessages.Tuple("192.168.50.12", "192.0.2.100", 1002, 80);

    [Fact]
    public void Open_DumpsTheTable_ThenEventsAddAndRemove()
    {
        var netlink = new FakeNetlink { DumpReplies = () => [Datagram(A, B), CtnetlinkMessages.Done(1)] };
        var table = new ConntrackTable(1024);
        using var reader = new ConntrackReader(table, new FixedResolver(), netlink, TimeProvider.System);

        reader.Open();
        Assert.True(table.Active);
        Assert.Equal(2, table.Count);

        netlink.Events.Enqueue(CtnetlinkMessages.Message(C, C.Reverse(), flags: Netlink.FlagCreate));
        netlink.Events.Enqueue(CtnetlinkMessages.Message(A, A.Reverse(), kind: CtnetlinkParser.MessageDelete));
        var destroyed = new List<ConntrackTuple>();
        reader.Destroyed = m => destroyed.Add(m.Original);
        Assert.Equal(1, reader.ReadEvents(0));
        Assert.Equal(1, reader.ReadEvents(0));
        Assert.Equal(0, reader.ReadEvents(0)); // nothing more

        Assert.Equal([B, C], table.ToList().Select(e => e.Original).Order(Comparer<ConntrackTuple>.Create((x, y) => x.SourcePort.CompareTo(y.SourcePort))));
        Assert.Equal([A], destroyed);
        Assert.Equal(4, reader.Messages);
    }

    [Fact]
    public void ReadEvents_Enobufs_DumpsAgainAndDropsWhatWentMeanwhile()
    {
        var dumps = 0;
        var netlink = new FakeNetlink
        {
            DumpReplies = () => ++dumps == 1 ? [Datagram(A, B), CtnetlinkMessages.Done(1)] : [Datagram(B), CtnetlinkMessages.Done(2)],
        };
        var table = new ConntrackTable(1024);
        using var reader = new ConntrackReader(table, new FixedResolver(), netlink, TimeProvider.System);
        reader.Open();

        netlink.Events.Enqueue(NetlinkErrors.Enobufs);
        reader.ReadEvents(0);

        Assert.Equal(1, reader.Resyncs);
        Assert.Equal(2, netlink.DumpRequests);
        Assert.Equal(1, reader.LastResyncDropped);
        Assert.Equal([B], table.ToList().Select(e => e.Original));
    }

    [Fact]
    public void Open_WithoutPermission_SaysWhyAndTheFix()
    {
        using var reader = new ConntrackReader(new ConntrackTable(1024), new FixedResolver(), new FakeNetlink { OpenErrno = NetlinkErrors.Eperm }, TimeProvider.System);

        var e = Assert.Throws<ConntrackUnavailableException>(reader.Open);

        Assert.Contains("permission missing", e.Reason, StringComparison.Ordinal);
        Assert.Equal(ConntrackUnavailableException.FixPermission, e.Fix);
    }

    [Fact]
    public void Open_DumpRefusedByAKernelWithoutConntrack_SaysToLoadTheModule()
    {
        var netlink = new FakeNetlink { DumpReplies = () => [CtnetlinkMessages.Error(NetlinkErrors.Eopnotsupp, 1)] };
        using var reader = new ConntrackReader(new ConntrackTable(1024), new FixedResolver(), netlink, TimeProvider.System);

        var e = Assert.Throws<ConntrackUnavailableException>(reader.Open);

        Assert.Contains("not available", e.Reason, StringComparison.Ordinal);
        Assert.Contains("modprobe nf_conntrack", e.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadEvents_MalformedMessage_IsCountedAndSkipped()
    {
        var netlink = new FakeNetlink { DumpReplies = () => [CtnetlinkMessages.Done(1)] };
        using var reader = new ConntrackReader(new ConntrackTable(1024), new FixedResolver(), netlink, TimeProvider.System);
        reader.Open();
        var cut = CtnetlinkMessages.Message(A, A.Reverse());
        var bad = new byte[Netlink.HeaderLength + 8];
        Netlink.WriteHeader(bad, bad.Length, 0x100, 0, 0);
        netlink.Events.Enqueue(bad.Concat(cut).ToArray());

        Assert.Equal(1, reader.ReadEvents(0));
        Assert.Equal(1, reader.Malformed);
    }

    private static byte[] Datagram(params ConntrackTuple[] tuples) =>
        tuples.SelectMany(t => CtnetlinkMessages.Message(t, t.Reverse(), flags: Netlink.FlagMulti, sequence: 1)).ToArray();
}
