using System.Text;
using RoutingFlow.Capture.Network;

namespace RoutingFlow.Capture.Tests.Network;

public class NetDevTableTests
{
    private const string Dev = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo: 1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0
          eth0: 123456789 9876 1 2 0 0 0 5 987654321 6789 3 4 0 0 0 0
        veth-x:7 1 0 0 0 0 0 0 8 1 0 0 0 0 0 0
          bad: 1 2 3
        """;

    [Fact]
    public void Update_ReadsEachInterfacesCounters_AndCountsALineThatDoesNotParse()
    {
        var table = new NetDevTable();

        var malformed = table.Update(Encoding.ASCII.GetBytes(Dev));

        Assert.Equal(1, malformed);
        Assert.Equal(["lo", "eth0", "veth-x"], table.Entries.Select(e => e.Name));
        Assert.Equal(new NetDevCounters(123456789, 9876, 1, 2, 987654321, 6789, 3, 4), table.Entries[1].Counters);
        Assert.Equal(7, table.Entries[2].Counters.RxBytes); // no space after the colon
    }

    [Fact]
    public void Update_KeepsEntries_DropsInterfacesThatAreGone_AndAllocatesNothingForKnownOnes()
    {
        var table = new NetDevTable();
        var file = Encoding.ASCII.GetBytes(Dev);
        table.Update(file);
        var eth0 = table.Entries[1];

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
            table.Update(file);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Same(eth0, table.Entries[1]);

        table.Update(Encoding.ASCII.GetBytes(string.Join('\n', Dev.Split('\n').Where(l => !l.Contains("veth-x", StringComparison.Ordinal)))));
        Assert.Equal(["lo", "eth0"], table.Entries.Select(e => e.Name));
    }
}
