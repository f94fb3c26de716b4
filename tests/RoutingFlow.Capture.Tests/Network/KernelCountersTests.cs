using System.Text;
using RoutingFlow.Capture.Network;

namespace RoutingFlow.Capture.Tests.Network;

public class KernelCountersTests
{
    private const string Snmp = """
        Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams InUnknownProtos InDiscards InDelivers OutRequests OutDiscards OutNoRoutes
        Ip: 2 64 2682120 0 0 7 0 3 2682120 2625794 0 11
        Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors
        Tcp: 1 200 120000 -1 8116 1352 6199 238 4 2677987 2676415 397 0 4916 0
        Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
        Udp: 123 2004 0 2129 0 0 0 0 0
        """;

    private static long Value(long[] values, string name) => values[KernelCounters.Names.ToList().IndexOf(name)];

    [Fact]
    public void Parse_ReadsTheNamedCounters_FromNamesAndValuesLines()
    {
        var values = new long[KernelCounters.Count];
        var found = new bool[KernelCounters.Count];

        var malformed = KernelCounters.Parse(Encoding.ASCII.GetBytes(Snmp), values, found);

        Assert.Equal(0, malformed);
        Assert.Equal(8116, Value(values, "TcpActiveOpens"));
        Assert.Equal(6199, Value(values, "TcpAttemptFails"));
        Assert.Equal(4, Value(values, "TcpCurrEstab"));
        Assert.Equal(2004, Value(values, "UdpNoPorts"));
        Assert.Equal(7, Value(values, "IpForwDatagrams"));
        Assert.Equal(11, Value(values, "IpOutNoRoutes"));
        Assert.False(found[KernelCounters.Names.ToList().IndexOf("TcpExtListenOverflows")]); // netstat's, not in this file
    }

    [Fact]
    public void Parse_AValuesLineThatDoesNotMatchItsNames_IsCountedAndSkipped()
    {
        var values = new long[KernelCounters.Count];
        var found = new bool[KernelCounters.Count];

        var malformed = KernelCounters.Parse(Encoding.ASCII.GetBytes("Tcp: ActiveOpens PassiveOpens\nTcp: 5\nUdp: NoPorts\nUdp: x\nstray\n"), values, found);

        Assert.Equal(3, malformed);
    }

    [Fact]
    public void Parse_AllocatesNothing()
    {
        var file = Encoding.ASCII.GetBytes(Snmp);
        var values = new long[KernelCounters.Count];
        var found = new bool[KernelCounters.Count];
        KernelCounters.Parse(file, values, found);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
            KernelCounters.Parse(file, values, found);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
