using BenchmarkDotNet.Attributes;
using RoutingFlow.Server.Advice;
using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Benchmarks;

/// <summary>
/// The rebalancing planner with 10,000 hosts on 8 WANs (goal: under 10 ms): one WAN over and one host's move fits
/// (the common case: every single move tried), and every WAN nearly full so that no plan fits (every set of one, two
/// and three hosts searched).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class AdvicePlannerBenchmarks
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 18, 0, 0, TimeSpan.Zero);
    private PlanRules Rules => new(CompareMode.Combined, 1.05, 3, [], Networks);

    /// <summary>Whether /24 moves are tried too (the 10,000 hosts lie in 40 /24s, each on every WAN).</summary>
    [Params(false, true)]
    public bool Networks { get; set; }
    private PlanWan[] _fits = [];
    private PlanWan[] _full = [];
    private PlanHost[] _hosts = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(10_000);
        _hosts = Enumerable.Range(0, 10_000)
            .Select(i => new PlanHost($"10.{i / 65536}.{i / 256 % 256}.{i % 256}", $"wan{i % 8}", random.Next(1, 2_000) * 1e3, random.Next(1, 200) * 1e3))
            .ToArray();
        _hosts[0] = _hosts[0] with { RxBps = 300e6 }; // one big download on wan0: moving it fits
        var load = Enumerable.Range(0, 8).Select(w => (Rx: _hosts.Where(h => h.Nic == $"wan{w}").Sum(h => h.RxBps), Tx: _hosts.Where(h => h.Nic == $"wan{w}").Sum(h => h.TxBps))).ToArray();
        // wan0 at 120%, the others at 50%: moving the big download fits.
        _fits = load.Select((l, w) => new PlanWan($"wan{w}", (l.Rx + l.Tx) / (w < 1 ? 1.2 : 0.5), null, l.Rx, l.Tx)).ToArray();
        // every WAN at 104%, two at 120%: nothing fits.
        _full = load.Select((l, w) => new PlanWan($"wan{w}", (l.Rx + l.Tx) / (w < 2 ? 1.2 : 1.04), null, l.Rx, l.Tx)).ToArray();
    }

    [Benchmark]
    public AdvicePlan PlanThatFits() => AdvicePlanner.Plan(_fits, _hosts, Rules, At);

    [Benchmark]
    public AdvicePlan NoPlanFits() => AdvicePlanner.Plan(_full, _hosts, Rules, At);
}
