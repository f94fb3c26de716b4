using RoutingFlow.Capture.Conntrack;
using RoutingFlow.Testing.Conntrack;

namespace RoutingFlow.Capture.Tests.Conntrack;

public sealed class CtnetlinkParserTests
{
    private static readonly ConntrackTuple Original = CtnetlinkMessages.Tuple("192.168.50.10", "192.0.2.100", 43210, 5201);
    private static readonly ConntrackTuple Reply = CtnetlinkMessages.Tuple("192.0.2.100", "198.51.100.2", 5201, 43210);

    [Fact]
    public void TryParse_NatConnection_ReadsBothTuplesMarkAndCounters()
    {
        var bytes = CtnetlinkMessages.Message(Original, Reply, mark: 0x200, originalCounters: (10, 1500), replyCounters: (20, 30000));

        var message = ParseOne(bytes);

        Assert.Equal(ConntrackEventKind.Update, message.Kind);
        Assert.Equal(Original, message.Original);
        Assert.Equal(Reply, message.Reply);
        Assert.Equal("192.168.50.10", message.Original.Source.ToString());
        Assert.Equal((ushort)43210, message.Original.SourcePort);
        Assert.True(message.HasMark);
        Assert.Equal(0x200u, message.Mark);
        Assert.Equal(0xabcdefu, message.Id);
        Assert.True(message.HasCounters);
        Assert.Equal((10ul, 1500ul, 20ul, 30000ul), (message.OriginalPackets, message.OriginalBytes, message.ReplyPackets, message.ReplyBytes));
    }

    [Fact]
    public void TryParse_Ipv6NewAndDestroy_ReadTheirKinds()
    {
        var original = CtnetlinkMessages.Tuple("fd50::11", "2001:db8:100::100", 59822, 5203, 17);
        var created = ParseOne(CtnetlinkMessages.Message(original, original.Reverse(), flags: Netlink.FlagCreate | Netlink.FlagExcl));
        var destroyed = ParseOne(CtnetlinkMessages.Message(original, original.Reverse(), kind: CtnetlinkParser.MessageDelete));

        Assert.Equal(ConntrackEventKind.New, created.Kind);
        Assert.True(created.Original.IsV6);
        Assert.Equal("2001:db8:100::100", created.Original.Destination.ToString());
        Assert.Equal(ConntrackEventKind.Destroy, destroyed.Kind);
        Assert.False(destroyed.HasCounters);
    }

    [Fact]
    public void TryParse_EveryTruncationAndRandomBytes_ReturnsFalseOrAConnection_NeverThrows()
    {
        var valid = CtnetlinkMessages.Message(Original, Reply, mark: 1, originalCounters: (1, 2), replyCounters: (3, 4));
        for (var length = 0; length < valid.Length; length++)
        {
            var cut = valid.AsSpan(0, length).ToArray();
            var offset = 0;
            if (Netlink.TryNext(cut, ref offset, out var header, out var payload))
                CtnetlinkParser.TryParse(header, payload, out _);
            // the header's own length is cut too: the payload shrinks with it
            var header2 = new NetlinkHeader((ushort)(CtnetlinkParser.SubsystemCtnetlink << 8), 0, 0);
            var parsed = CtnetlinkParser.TryParse(header2, cut.AsSpan(Math.Min(cut.Length, Netlink.HeaderLength)), out var m);
            Assert.True(!parsed || (m.Original.Protocol == 6 && m.Reply.Protocol == 6)); // parsed only when both tuples are whole
        }
        var random = new Random(22);
        var buffer = new byte[256];
        for (var i = 0; i < 100_000; i++)
        {
            random.NextBytes(buffer);
            var mutated = (byte[])valid.Clone();
            mutated[random.Next(mutated.Length)] = buffer[0];
            mutated[random.Next(mutated.Length)] = buffer[1];
            foreach (var input in new[] { buffer, mutated })
            {
                var offset = 0;
                while (Netlink.TryNext(input, ref offset, out var header, out var payload))
                {
                    if (CtnetlinkParser.TryParse(header, payload, out var m))
                        Assert.Equal(m.Original.IsV6, m.Original.Source.IsV6); // a parsed tuple is whole: one family
                }
            }
        }
    }

    [Fact]
    public void TryNext_ManyMessagesInOneDatagram_ReadsEachThenDone()
    {
        var datagram = CtnetlinkMessages.Message(Original, Reply, sequence: 7).Concat(CtnetlinkMessages.Message(Reply.Reverse(), Original.Reverse(), sequence: 7))
            .Concat(CtnetlinkMessages.Done(7)).ToArray();
        var types = new List<ushort>();
        var offset = 0;
        while (Netlink.TryNext(datagram, ref offset, out var header, out _))
            types.Add(header.Type);
        Assert.Equal([0x100, 0x100, Netlink.Done], types);
    }

    private static ConntrackMessage ParseOne(byte[] bytes)
    {
        var offset = 0;
        Assert.True(Netlink.TryNext(bytes, ref offset, out var header, out var payload));
        Assert.True(CtnetlinkParser.TryParse(header, payload, out var message));
        return message;
    }
}
