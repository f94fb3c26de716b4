using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Analysis;

namespace RoutingFlow.Capture.Tests.Analysis;

public class EndpointOrderTests
{
    public static TheoryData<string, int> Inputs => new()
    {
        { "random", 0 }, { "random", 1 }, { "random", 2 }, { "random", 17 }, { "random", 1_000 }, { "random", 70_000 },
        { "ascending", 5_000 }, { "descending", 5_000 }, { "equal totals", 5_000 }, { "organ pipe", 5_000 }, { "few totals", 20_000 },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Sort_OrdersByTotalBytesDescendingThenAddress(string shape, int count)
    {
        var rows = Rows(shape, count);
        var expected = rows.OrderByDescending(r => r.TxBytes + r.RxBytes).ThenBy(r => r.Ip).ToArray();

        EndpointOrder.Sort(rows);

        Assert.Equal(expected, rows);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Sort_PastTheDepthLimit_FinishesWithHeapsort(int depthLimit)
    {
        var rows = Rows("random", 10_000);
        var expected = rows.OrderByDescending(r => r.TxBytes + r.RxBytes).ThenBy(r => r.Ip).ToArray();

        EndpointOrder.Sort(rows, depthLimit);

        Assert.Equal(expected, rows);
    }

    private static EndpointRow[] Rows(string shape, int count)
    {
        var random = new Random(count);
        return Enumerable.Range(0, count).Select(i =>
        {
            long total = shape switch
            {
                "ascending" => i,
                "descending" => count - i,
                "equal totals" => 1_500,
                "organ pipe" => Math.Min(i, count - i),
                "few totals" => random.Next(4),
                _ => random.NextInt64(1_000_000),
            };
            var ip = i % 5 == 0 ? IpAddr.FromV6(0x20010db8UL << 32, (ulong)random.NextInt64()) : IpAddr.FromV4((uint)random.Next());
            return new EndpointRow(ip, false, null, 1, total / 3, 1, total - total / 3);
        }).DistinctBy(r => r.Ip).ToArray();
    }
}
