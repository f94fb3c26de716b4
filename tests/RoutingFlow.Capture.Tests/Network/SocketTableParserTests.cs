using System.Text;
using RoutingFlow.Capture.Network;

namespace RoutingFlow.Capture.Tests.Network;

public class SocketTableParserTests
{
    private const string Tcp = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:1B59 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1065 1 000000003eaf903d 100 0 0 10 0
           1: 0100007F:1B59 0100007F:A1B2 01 00000000:00000000 00:00000000 00000000     0        0 1066 1 000000003eaf903d 20 4 30 10 -1
           2: 0100007F:A1B2 0100007F:1B59 01 00000000:00000000 00:00000000 00000000     0        0 1067 1 000000003eaf903d 20 4 30 10 -1
           3: 0100007F:A1B4 0100007F:1B5B 02 00000001:00000000 01:00000064 00000002     0        0 1068 1 000000003eaf903d 20 4 30 10 -1
         garbage
        """;

    [Fact]
    public void Count_CountsEverySocketByItsState_AndAMalformedLine()
    {
        var counts = new SocketCounts();
        SocketTableParser.Count(Encoding.ASCII.GetBytes(Tcp), ref counts);

        Assert.Equal(1, counts.ByState[10]); // listen
        Assert.Equal(2, counts.ByState[1]); // established
        Assert.Equal(1, counts.ByState[2]); // syn_sent
        Assert.Equal(4, counts.Total);
        Assert.Equal(1, counts.Malformed);
        Assert.Equal(("listen", "LISTEN"), (SocketStates.Name(10), SocketStates.SsName(10)));
    }

    [Fact]
    public void Count_AllocatesNothing()
    {
        var table = Encoding.ASCII.GetBytes(Tcp);
        var counts = new SocketCounts();
        SocketTableParser.Count(table, ref counts);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
            SocketTableParser.Count(table, ref counts);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("")]
    [InlineData("header only")]
    [InlineData("h\n 0: a b ZZ rest")]
    [InlineData("h\n 0: a b 0")]
    [InlineData("h\n 0: a b 1F x")]
    public void Count_OnBadInput_NeverThrows_AndCountsNoSocket(string text)
    {
        var counts = new SocketCounts();
        SocketTableParser.Count(Encoding.ASCII.GetBytes(text), ref counts);

        Assert.Equal(0, counts.Total);
    }
}
