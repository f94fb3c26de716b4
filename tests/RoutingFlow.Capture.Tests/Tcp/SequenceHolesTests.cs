using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Capture.Tests.Tcp;

public class SequenceHolesTests
{
    private static List<(uint, uint)> Holes(in TcpDirection d)
    {
        var holes = new List<(uint, uint)>();
        for (var i = 0; i < d.HoleCount; i++)
            holes.Add((d.Holes[i * 2], d.Holes[(i * 2) + 1]));
        return holes;
    }

    [Fact]
    public void Fill_InTheMiddle_SplitsTheHole()
    {
        var d = new TcpDirection();
        SequenceHoles.Open(ref d, 100, 400);

        Assert.True(SequenceHoles.Fill(ref d, 200, 300));

        Assert.Equal([(100u, 200u), (300u, 400u)], Holes(d));
    }

    [Fact]
    public void Fill_AcrossTwoHoles_TrimsBoth_AndAWholeHoleGoes()
    {
        var d = new TcpDirection();
        SequenceHoles.Open(ref d, 100, 200);
        SequenceHoles.Open(ref d, 300, 400);
        SequenceHoles.Open(ref d, 500, 600);

        Assert.True(SequenceHoles.Fill(ref d, 150, 350));
        Assert.True(SequenceHoles.Fill(ref d, 500, 600));

        Assert.Equal([(100u, 150u), (350u, 400u)], Holes(d));
        Assert.False(SequenceHoles.Fill(ref d, 150, 350)); // already seen
    }

    [Fact]
    public void Open_WhenFull_DropsTheOldest()
    {
        var d = new TcpDirection();
        for (var i = 0u; i < TcpDirection.MaxHoles; i++)
            Assert.True(SequenceHoles.Open(ref d, i * 100, (i * 100) + 10));

        Assert.False(SequenceHoles.Open(ref d, 1000, 1010));

        Assert.Equal(TcpDirection.MaxHoles, d.HoleCount);
        Assert.Equal((100u, 110u), Holes(d)[0]);
    }

    [Fact]
    public void Holes_AcrossTheWrap_AreFilled()
    {
        var d = new TcpDirection();
        SequenceHoles.Open(ref d, uint.MaxValue - 99, 100);

        Assert.True(SequenceHoles.Fill(ref d, uint.MaxValue - 9, 10));

        Assert.Equal([(uint.MaxValue - 99, uint.MaxValue - 9), (10u, 100u)], Holes(d));
    }
}
