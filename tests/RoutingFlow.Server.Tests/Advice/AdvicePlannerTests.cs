using RoutingFlow.Capture.Addressing;
using RoutingFlow.Server.Advice;
using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Server.Tests.Advice;

public class AdvicePlannerTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 18, 0, 0, TimeSpan.Zero);
    private static readonly PlanRules Rules = new(CompareMode.Combined, 1.05, 3, []);

    private static PlanWan Wan(string nic, double capacity, double rx, double tx = 0) => new(nic, capacity, null, rx, tx);

    private static AdvicePlan Plan(PlanWan[] wans, PlanHost[] hosts, PlanRules? rules = null) => AdvicePlanner.Plan(wans, hosts, rules ?? Rules, At);

    [Fact]
    public void NothingOver_NoMoves()
    {
        var plan = Plan([Wan("wan0", 50e6, 20e6), Wan("wan1", 20e6, 10e6)], [new("10.0.0.11", "wan1", 10e6, 0)]);

        Assert.True(plan.Fits);
        Assert.Empty(plan.Moves);
        Assert.Equal("no WAN is over its capacity", plan.Text);
        Assert.Equal([0.4, 0.5], plan.Wans.Select(w => w.UtilizationBefore!.Value));
    }

    [Fact]
    public void OneMove_TheHostWhoseMoveFits()
    {
        var plan = Plan([Wan("wan0", 50e6, 20e6), Wan("wan1", 20e6, 24e6)],
            [new("10.0.0.11", "wan1", 22e6, 0), new("10.0.0.12", "wan1", 2e6, 0), new("10.0.0.10", "wan0", 20e6, 0)]);

        var move = Assert.Single(plan.Moves);
        Assert.True(plan.Fits);
        Assert.Equal(("10.0.0.11", "wan1", "wan0", 22e6), (move.Target, move.From, move.To, move.RxBps));
        Assert.Equal("move 10.0.0.11 (22.0 Mbit/s rx) wan1 → wan0: wan1 120% → 10%, wan0 40% → 84%", plan.Text);
        Assert.Equal([(0.4, 0.84), (1.2, 0.1)], plan.Wans.Select(w => (Math.Round(w.UtilizationBefore!.Value, 6), Math.Round(w.UtilizationAfter!.Value, 6))));
    }

    [Fact]
    public void SeveralMoves_WhenNoSingleMoveFits()
    {
        // wan2 carries 60 of its 30: no one WAN has room for 30, but wan0 and wan1 have 20 each.
        var plan = Plan([Wan("wan0", 40e6, 20e6), Wan("wan1", 40e6, 20e6), Wan("wan2", 30e6, 60e6)],
            [new("10.0.0.1", "wan2", 20e6, 0), new("10.0.0.2", "wan2", 20e6, 0), new("10.0.0.3", "wan2", 20e6, 0)]);

        Assert.True(plan.Fits);
        Assert.Equal(2, plan.Moves.Count);
        Assert.Equal(["wan0", "wan1"], plan.Moves.Select(m => m.To).Order());
        Assert.All(plan.Wans, w => Assert.True(w.UtilizationAfter <= 1.05));
    }

    [Fact]
    public void NoPlanFits_TheOneThatMinimizesTheWorst()
    {
        var plan = Plan([Wan("wan0", 20e6, 18e6), Wan("wan1", 20e6, 40e6)],
            [new("10.0.0.1", "wan1", 10e6, 0), new("10.0.0.2", "wan1", 10e6, 0), new("10.0.0.3", "wan1", 10e6, 0), new("10.0.0.4", "wan1", 10e6, 0)]);

        Assert.False(plan.Fits);
        Assert.StartsWith("no plan within the moves allowed brings every WAN to 105% or under; the best: move ", plan.Text, StringComparison.Ordinal);
        Assert.Equal(1.5, plan.Wans.Max(w => w.UtilizationAfter!.Value), 6); // one host of 10 to wan0: 28/20 and 30/20 (two: 38/20)
        Assert.Single(plan.Moves);
    }

    [Fact]
    public void PinnedHosts_NeverMove()
    {
        Assert.True(IpNetwork.TryParse("10.0.0.11/32", out var pinned, out _));
        var plan = Plan([Wan("wan0", 50e6, 10e6), Wan("wan1", 20e6, 30e6)],
            [new("10.0.0.11", "wan1", 25e6, 0), new("10.0.0.12", "wan1", 5e6, 0)], Rules with { Pinned = [pinned] });

        Assert.Equal("10.0.0.12", Assert.Single(plan.Moves).Target);
        Assert.False(plan.Fits); // 25 of 20 stays on wan1
    }

    [Fact]
    public void Ties_AreBrokenByAddress_ThenByTheWansOrder()
    {
        var wans = new[] { Wan("wan0", 50e6, 0), Wan("wan1", 50e6, 0), Wan("wan2", 20e6, 40e6) };
        var hosts = new PlanHost[] { new("10.0.0.2", "wan2", 20e6, 0), new("10.0.0.1", "wan2", 20e6, 0) };

        var first = Plan(wans, hosts);
        var again = Plan(wans, [.. hosts.Reverse()]);

        Assert.Equal(("10.0.0.1", "wan0"), (first.Moves[0].Target, first.Moves[0].To));
        Assert.Equal(first.Text, again.Text);
    }

    [Fact]
    public void ASplitHost_MovesAsAWhole()
    {
        var plan = Plan([Wan("wan0", 50e6, 5e6), Wan("wan1", 20e6, 30e6)],
            [new("10.0.0.11", "wan1", 20e6, 0), new("10.0.0.11", "wan0", 5e6, 0), new("10.0.0.12", "wan1", 10e6, 0)]);

        var move = Assert.Single(plan.Moves);
        Assert.Equal(("10.0.0.11", "wan1+wan0", "wan0", 25e6), (move.Target, move.From, move.To, move.RxBps));
        Assert.Equal(0.5, plan.Wans[1].UtilizationAfter!.Value, 6);
    }

    [Fact]
    public void UnknownCapacity_IsNeverATarget()
    {
        var plan = Plan([new("wan0", null, null, 0, 0), Wan("wan1", 20e6, 30e6)], [new("10.0.0.11", "wan1", 30e6, 0)]);

        Assert.Empty(plan.Moves);
        Assert.False(plan.Fits);
    }

    [Fact]
    public void PerDirection_AnUploaderMovesForTx()
    {
        var plan = AdvicePlanner.Plan([new("wan0", 50e6, 20e6, 5e6, 2e6), new("wan1", 50e6, 10e6, 5e6, 15e6)],
            [new("10.0.0.5", "wan1", 1e6, 12e6), new("10.0.0.6", "wan1", 4e6, 3e6)], Rules with { Compare = null }, At);

        Assert.Equal(("10.0.0.5", "wan0"), (plan.Moves[0].Target, plan.Moves[0].To));
        Assert.Contains("(12.0 Mbit/s tx)", plan.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ANetwork_WhenNoSetOfAsManyHostsFits_MovesAsOne()
    {
        // wan1 carries 30 of its 20 from five hosts of 6 in one /24; wan0 has 100 free. One host is not enough (24/20), so
        // at one move the /24 is the plan; with the /24 pinned in part, two hosts are.
        var wans = new[] { Wan("wan0", 100e6, 0), Wan("wan1", 20e6, 30e6) };
        var hosts = Enumerable.Range(1, 5).Select(i => new PlanHost($"10.0.1.{i}", "wan1", 6e6, 0)).Append(new PlanHost("10.0.2.9", "wan1", 0.5e6, 0)).ToArray();

        var plan = Plan(wans, hosts);

        var move = Assert.Single(plan.Moves);
        Assert.Equal(("10.0.1.0/24", "wan1", "wan0", 30e6), (move.Target, move.From, move.To, move.RxBps));
        Assert.True(plan.Fits);
        Assert.Equal("move 10.0.1.0/24 (30.0 Mbit/s rx) wan1 → wan0: wan1 150% → 0%, wan0 0% → 30%", plan.Text);

        Assert.True(IpNetwork.TryParse("10.0.1.5/32", out var pinned, out _));
        var pinnedPlan = Plan(wans, hosts, Rules with { Pinned = [pinned] });
        Assert.Equal(["10.0.1.1", "10.0.1.2"], pinnedPlan.Moves.Select(m => m.Target).Order());
    }

    [Fact]
    public void AHost_IsPreferredToItsNetwork_AtTheSameNumberOfMoves()
    {
        var plan = Plan([Wan("wan0", 100e6, 0), Wan("wan1", 20e6, 30e6)], [new("10.0.1.1", "wan1", 20e6, 0), new("10.0.1.2", "wan1", 10e6, 0)]);

        Assert.Equal("10.0.1.1", Assert.Single(plan.Moves).Target);
    }

    [Fact]
    public void ANetworkAndAHostInIt_AreNeverInOnePlan()
    {
        var random = new Random(25);
        for (var round = 0; round < 200; round++)
        {
            var hosts = Enumerable.Range(1, random.Next(2, 9)).Select(i => new PlanHost($"10.0.{random.Next(1, 3)}.{i}", $"wan{random.Next(3)}", random.Next(1, 30) * 1e6, 0)).ToArray();
            var wans = Enumerable.Range(0, 3).Select(i => Wan($"wan{i}", random.Next(5, 40) * 1e6, hosts.Where(h => h.Nic == $"wan{i}").Sum(h => h.RxBps))).ToArray();

            var plan = Plan(wans, hosts);

            foreach (var network in plan.Moves.Where(m => m.Target.Contains('/')))
                Assert.DoesNotContain(plan.Moves, m => m != network && Covers(network.Target, m.Target.Split('/')[0]));
        }
    }

    private static bool Covers(string target, string ip) =>
        target == ip || target.Contains('/') && IpNetwork.Parse(target).Contains(IpAddr.Parse(ip));

    /// <summary>Whatever the plan, the utilisations it reports are what the monitor's rule gives for the moved rates.</summary>
    [Fact]
    public void Property_AfterUtilisations_AreARecomputationFromTheMovedRates()
    {
        var random = new Random(24);
        for (var round = 0; round < 300; round++)
        {
            var wans = Enumerable.Range(0, random.Next(2, 5)).Select(i => Wan($"wan{i}", random.Next(5, 100) * 1e6, 0)).ToArray();
            var hosts = Enumerable.Range(0, random.Next(1, 12)).Select(i => new PlanHost($"10.0.0.{i}", wans[random.Next(wans.Length)].Nic, random.Next(0, 40) * 1e6, random.Next(0, 5) * 1e6)).ToArray();
            wans = wans.Select(w => w with { RxBps = hosts.Where(h => h.Nic == w.Nic).Sum(h => h.RxBps), TxBps = hosts.Where(h => h.Nic == w.Nic).Sum(h => h.TxBps) }).ToArray();

            var plan = Plan(wans, hosts);

            var moved = hosts.Select(h => plan.Moves.FirstOrDefault(m => Covers(m.Target, h.Ip)) is { } m ? h with { Nic = m.To } : h).ToList();
            foreach (var (wan, change) in wans.Zip(plan.Wans))
            {
                var (rx, tx) = (moved.Where(h => h.Nic == wan.Nic).Sum(h => h.RxBps), moved.Where(h => h.Nic == wan.Nic).Sum(h => h.TxBps));
                var expected = LoadRule.Evaluate(new WanReading(wan.CapacityRxBps, wan.CapacityTxBps, rx, tx, null), CompareMode.Combined, 1.05).Utilization;
                Assert.Equal(expected!.Value, change.UtilizationAfter!.Value, 9);
            }
            Assert.Equal(plan.Wans.All(w => w.UtilizationAfter <= 1.05), plan.Fits);
            Assert.InRange(plan.Moves.Count, 0, 3);
        }
    }
}
