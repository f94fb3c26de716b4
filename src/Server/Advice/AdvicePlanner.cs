using System.Globalization;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Units;
using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Server.Advice;

/// <summary>
/// Which hosts (or IPv4 /24s) to move to which WAN so that every WAN is at or under the threshold, with each WAN's
/// measured spare capacity. The smallest set of moves that fits (one, then two, then three; hosts before /24s at each
/// size; the lowest worst utilisation among the sets that fit), or, when none fits within <see cref="PlanRules.MaxMoves"/>, the set that minimizes the
/// worst utilisation (and, when no move lowers it, no moves). Utilisation is the monitor's rule (<see cref="LoadRule"/>); a host split across WANs moves as
/// a whole; pinned hosts never move; a WAN with no capacity estimate is never a target. Deterministic: candidates in
/// order of their traffic on the WANs that are over (then address), targets in the WANs' order, and a later plan
/// replaces a better one only when strictly better.
/// </summary>
public static class AdvicePlanner
{
    /// <summary>Hosts tried in sets of two and of three: the busiest on the WANs that are over.</summary>
    private static readonly int[] SearchWidth = [int.MaxValue, 30, 10];

    /// <summary>Hosts a greedy step (a fourth move and beyond, or one added to a smaller plan) chooses from: the busiest.</summary>
    private const int GreedyWidth = 100;

    /// <summary>/24s tried alone and in pairs of the 10 busiest (a third /24 is rarely the smallest plan).</summary>
    private static readonly int[] NetworkWidth = [int.MaxValue, 10, 0];

    private const int ExhaustiveUpTo = 3;
    private const double Epsilon = 1e-9;

    public static AdvicePlan Plan(IReadOnlyList<PlanWan> wans, IReadOnlyList<PlanHost> hosts, PlanRules rules, DateTimeOffset at)
    {
        var state = new State(wans, rules.Compare);
        var before = state.Utilizations();
        if (!before.Any(u => u > rules.Threshold))
            return AdvicePlan.None(at, "no WAN is over its capacity", Changes(wans, before, before));
        var (candidates, networks) = Candidates(wans, hosts, rules, before);
        var best = Search(state, candidates, networks, rules);
        if (best.Moves.Length == 0)
            return new AdvicePlan(at, false, "no host can move: every WAN is over, unknown, or the hosts are pinned", [], Changes(wans, before, before));
        if (!best.Fits && best.Worst >= before.Max(u => u ?? 0) - Epsilon)
            return new AdvicePlan(at, false, "no move lowers the worst utilisation: there is no spare capacity to move to", [], Changes(wans, before, before));
        var after = state.With(best.Moves, candidates);
        var moves = best.Moves.Select(m => Move(candidates[m.Host], wans, wans[m.Target].Nic)).ToList();
        var fits = !after.Any(u => u > rules.Threshold);
        return new AdvicePlan(at, fits, Text(wans, moves, before, after, fits, rules.Threshold), moves, Changes(wans, before, after));
    }

    /// <summary>Movable hosts with traffic on a WAN that is over, busiest there first.</summary>
    private static (List<Candidate> Hosts, Func<IEnumerable<Candidate>> Networks) Candidates(IReadOnlyList<PlanWan> wans, IReadOnlyList<PlanHost> hosts, PlanRules rules, double?[] before)
    {
        var rows = Rows.Of(wans, hosts);
        var candidates = new List<Candidate>();
        foreach (var (ip, chain) in rows.ByHost)
        {
            var onOver = 0.0;
            for (var r = chain.First; r >= 0; r = rows.Next[r])
                onOver += before[rows.Wan[r]] > rules.Threshold ? hosts[r].RxBps + hosts[r].TxBps : 0;
            if (onOver <= 0 || Pinned(ip, rules.Pinned))
                continue;
            candidates.Add(new Candidate(ip, rows.Parts(chain.First, hosts), onOver, false));
        }
        candidates.Sort(Busiest);
        return (candidates, () => Networks(rows, hosts, candidates, rules, before).OrderBy(c => c, Comparer<Candidate>.Create(Busiest)));
    }

    /// <summary>
    /// The hosts' rows on known WANs with traffic, chained per address: one dictionary entry per host and an index
    /// array, not a list per host (10,000 hosts made 10,000 lists, a third of the plan's time).
    /// </summary>
    private sealed class Rows
    {
        public required Dictionary<string, (int First, int Last)> ByHost { get; init; }
        public required int[] Next { get; init; }
        public required int[] Wan { get; init; }

        public static Rows Of(IReadOnlyList<PlanWan> wans, IReadOnlyList<PlanHost> hosts)
        {
            var index = new Dictionary<string, int>(wans.Count);
            for (var i = 0; i < wans.Count; i++)
                index[wans[i].Nic] = i;
            var rows = new Rows { ByHost = new(hosts.Count), Next = new int[hosts.Count], Wan = new int[hosts.Count] };
            for (var r = 0; r < hosts.Count; r++)
            {
                var h = hosts[r];
                if (!index.TryGetValue(h.Nic, out var w) || h.RxBps + h.TxBps <= 0)
                    continue;
                (rows.Wan[r], rows.Next[r]) = (w, -1);
                ref var chain = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(rows.ByHost, h.Ip, out var exists);
                if (exists)
                    (rows.Next[chain.Last], chain.Last) = (r, r);
                else
                    chain = (r, r);
            }
            return rows;
        }

        public (int Wan, double Rx, double Tx)[] Parts(int first, IReadOnlyList<PlanHost> hosts)
        {
            var count = 0;
            for (var r = first; r >= 0; r = Next[r])
                count++;
            var parts = new (int Wan, double Rx, double Tx)[count];
            count = 0;
            for (var r = first; r >= 0; r = Next[r])
                parts[count++] = (Wan[r], hosts[r].RxBps, hosts[r].TxBps);
            return parts;
        }
    }

    private static int Busiest(Candidate a, Candidate b) => b.OnOver.CompareTo(a.OnOver) is not 0 and var c ? c : string.CompareOrdinal(a.Ip, b.Ip);

    /// <summary>
    /// The IPv4 /24s holding two or more movable hosts: one move takes every host in it along (its traffic on every
    /// WAN summed), so a /24 holding a pinned network, or a host that is pinned, is none.
    /// </summary>
    private static IEnumerable<Candidate> Networks(Rows rows, IReadOnlyList<PlanHost> all, List<Candidate> hosts, PlanRules rules, double?[] before)
    {
        var counts = new Dictionary<int, int>();
        foreach (var h in hosts)
        {
            if (h.Prefix >= 0)
                counts[h.Prefix] = counts.GetValueOrDefault(h.Prefix) + 1;
        }
        var members = new Dictionary<int, (double Rx, double Tx, bool On)[]>(); // per /24: its traffic on each WAN
        foreach (var (ip, chain) in rows.ByHost) // every host in the /24 goes along, moved or not, pinned or not
        {
            var prefix = PrefixOf(ip);
            if (prefix < 0 || counts.GetValueOrDefault(prefix) < 2)
                continue;
            if (!members.TryGetValue(prefix, out var sums))
                members[prefix] = sums = new (double, double, bool)[before.Length];
            for (var r = chain.First; r >= 0; r = rows.Next[r])
            {
                ref var sum = ref sums[rows.Wan[r]];
                sum = (sum.Rx + all[r].RxBps, sum.Tx + all[r].TxBps, true);
            }
        }
        foreach (var (prefix, sums) in members)
        {
            var network = new IpNetwork(IpAddr.FromV4((uint)prefix << 8), 24);
            if (rules.Pinned.Any(p => p.Contains(network.Network) || network.Contains(p.Network)))
                continue;
            var parts = sums.Select((p, wan) => (Key: wan, p.Rx, p.Tx, p.On)).Where(p => p.On).Select(p => (p.Key, p.Rx, p.Tx)).ToArray();
            var onOver = parts.Where(p => before[p.Key] > rules.Threshold).Sum(p => p.Rx + p.Tx);
            yield return new Candidate(network.ToString(), parts, onOver, true);
        }
    }

    /// <summary>An IPv4 address's /24 as a number (its first three bytes); -1 for anything else.</summary>
    private static int PrefixOf(string ip)
    {
        var last = ip.LastIndexOf('.');
        if (last < 0 || ip.Contains(':'))
            return -1;
        var head = ip.AsSpan(0, last);
        var (value, bytes) = (0, 0);
        foreach (var range in head.Split('.'))
        {
            if (!byte.TryParse(head[range], NumberStyles.None, CultureInfo.InvariantCulture, out var b))
                return -1;
            (value, bytes) = (value << 8 | b, bytes + 1);
        }
        return bytes == 3 ? value : -1;
    }

    private static bool Pinned(string ip, IReadOnlyList<IpNetwork> pinned) =>
        pinned.Count > 0 && IpAddr.TryParse(ip, out var address) && pinned.Any(n => n.Contains(address));

    /// <summary>
    /// Sets of one, two, then three moves; the first size with a set that fits wins, hosts before /24s at each size (a
    /// /24 is taken only where no set of as many hosts fits; /24s are tried alone and in pairs, built only when
    /// needed); else the lowest worst utilisation seen.
    /// </summary>
    private static Best Search(State state, List<Candidate> candidates, Func<IEnumerable<Candidate>> networks, PlanRules rules)
    {
        var best = Best.Nothing;
        int[] hostPool = [.. Enumerable.Range(0, candidates.Count)];
        int[]? networkPool = null;
        for (var k = 1; k <= Math.Min(rules.MaxMoves, ExhaustiveUpTo); k++)
        {
            var found = Best.Nothing;
            if (SearchSize(state, candidates, hostPool, k, SearchWidth[k - 1], rules.Threshold, ref found))
                return found;
            if (found.Better(best))
                best = found;
            if (NetworkWidth[k - 1] == 0 || !rules.Networks)
                continue;
            if (networkPool is null)
            {
                var first = candidates.Count;
                candidates.AddRange(networks());
                networkPool = [.. Enumerable.Range(first, candidates.Count - first)];
            }
            found = Best.Nothing;
            if (SearchSize(state, candidates, networkPool, k, NetworkWidth[k - 1], rules.Threshold, ref found))
                return found;
            if (found.Better(best))
                best = found;
        }
        return Greedy(state, candidates, best, rules);
    }

    /// <summary>Every set of <paramref name="k"/> of the first <paramref name="width"/> of <paramref name="pool"/>, each to every WAN; true when the best found fits.</summary>
    private static bool SearchSize(State state, List<Candidate> candidates, int[] pool, int k, int width, double threshold, ref Best found)
    {
        if (pool.Length < k)
            return false;
        var set = new int[k];
        foreach (var positions in Sets(Math.Min(pool.Length, width), k))
        {
            for (var i = 0; i < k; i++)
                set[i] = pool[positions[i]];
            Assign(state, candidates, set, new (int, int)[k], 0, threshold, ref found);
        }
        return found.Fits;
    }

    /// <summary>Beyond the sets searched: one more move at a time (of the <see cref="GreedyWidth"/> busiest hosts and the /24s), each the one that helps most, while the plan does not fit.</summary>
    private static Best Greedy(State state, List<Candidate> candidates, Best best, PlanRules rules)
    {
        while (!best.Fits && best.Moves.Length > 0 && best.Moves.Length < rules.MaxMoves)
        {
            var next = Best.Nothing;
            var used = best.Moves.Select(m => m.Host).ToHashSet();
            for (var h = 0; h < candidates.Count; h++)
            {
                if (used.Contains(h) || h >= GreedyWidth && !candidates[h].IsNetwork)
                    continue; // hosts come busiest first: past the first GreedyWidth, a move changes little
                for (var w = 0; w < state.Count; w++)
                    Consider(state, candidates, [.. best.Moves, (h, w)], rules.Threshold, ref next);
            }
            if (!next.Better(best))
                break;
            best = next;
        }
        return best;
    }

    /// <summary>
    /// Each host of the set to every WAN, depth first: a move is applied on the way down and undone on the way back, so
    /// a set of three is scored after one move rather than three; a target with no capacity, a host's own WAN, or a /24
    /// with a host of it already in the set cuts the branch.
    /// </summary>
    private static void Assign(State state, List<Candidate> candidates, int[] set, (int Host, int Target)[] moves, int depth, double threshold, ref Best best)
    {
        if (depth == set.Length)
        {
            Keep(state, moves, threshold, ref best);
            return;
        }
        var host = candidates[set[depth]];
        for (var j = 0; j < depth; j++)
        {
            if (host.Overlaps(candidates[set[j]]))
                return; // a /24 and a host in it: one move would count the host twice
        }
        for (var w = 0; w < state.Count; w++)
        {
            if (!state.Known(w) || host.OnlyOn(w))
                continue; // no capacity to compare with, or not a move
            moves[depth] = (set[depth], w);
            var mark = state.Mark;
            state.Push(host, w);
            Assign(state, candidates, set, moves, depth + 1, threshold, ref best);
            state.Undo(mark);
        }
    }

    private static void Consider(State state, List<Candidate> candidates, (int Host, int Target)[] moves, double threshold, ref Best best)
    {
        for (var i = 0; i < moves.Length; i++)
        {
            var (host, target) = moves[i];
            if (!state.Known(target) || candidates[host].OnlyOn(target))
                return; // no capacity to compare with, or not a move
            for (var j = 0; j < i; j++)
            {
                if (candidates[host].Overlaps(candidates[moves[j].Host]))
                    return; // a /24 and a host in it: one move would count the host twice
            }
        }
        var mark = state.Mark;
        foreach (var (host, target) in moves)
            state.Push(candidates[host], target);
        Keep(state, moves, threshold, ref best);
        state.Undo(mark);
    }

    /// <summary>Scores the moves the state holds and keeps them when better than <paramref name="best"/>.</summary>
    private static void Keep(State state, (int Host, int Target)[] moves, double threshold, ref Best best)
    {
        if (state.CannotBeat(threshold, best))
            return; // a WAN no move touches already stands at the best's worst
        var (over, worst) = state.Score(threshold);
        if (new Best(moves, over, worst).Better(best))
            best = new Best([.. moves], over, worst); // copied only when kept: the search tries many
    }

    /// <summary>Every set of <paramref name="k"/> of the first <paramref name="width"/> candidates, in order.</summary>
    private static IEnumerable<int[]> Sets(int width, int k)
    {
        var set = new int[k];
        for (var i = 0; i < k; i++)
            set[i] = i;
        while (true)
        {
            yield return set;
            var i = k - 1;
            while (i >= 0 && set[i] == width - k + i)
                i--;
            if (i < 0)
                yield break;
            set[i]++;
            for (var j = i + 1; j < k; j++)
                set[j] = set[j - 1] + 1;
        }
    }

    private static PlanMove Move(Candidate c, IReadOnlyList<PlanWan> wans, string to)
    {
        var from = string.Join("+", c.Parts.OrderByDescending(p => p.Rx + p.Tx).Select(p => wans[p.Wan].Nic));
        return new PlanMove(c.Ip, from, to, c.Parts.Sum(p => p.Rx), c.Parts.Sum(p => p.Tx));
    }

    private static List<PlanWanChange> Changes(IReadOnlyList<PlanWan> wans, double?[] before, double?[] after) =>
        wans.Select((w, i) => new PlanWanChange(w.Nic, before[i], after[i])).ToList();

    /// <summary>"move 10.0.0.11 (19.0 Mbit/s rx) wan1 → wan0: wan1 95% → 0%, wan0 40% → 78%"; several moves joined by "; ".</summary>
    private static string Text(IReadOnlyList<PlanWan> wans, List<PlanMove> moves, double?[] before, double?[] after, bool fits, double threshold)
    {
        var touched = moves.SelectMany(m => m.From.Split('+').Append(m.To)).Distinct().ToList();
        var effect = string.Join(", ", touched.Select(nic => wans.Select((w, i) => (w.Nic, i)).First(w => w.Nic == nic).i)
            .Select(i => $"{wans[i].Nic} {Percent(before[i])} → {Percent(after[i])}"));
        var what = string.Join("; ", moves.Select(m => $"move {m.Target} ({Rate(m)}) {m.From} → {m.To}"));
        return fits ? $"{what}: {effect}" : $"no plan within the moves allowed brings every WAN to {Percent(threshold)} or under; the best: {what}: {effect}";
    }

    private static string Rate(PlanMove m) => m.RxBps >= m.TxBps ? $"{BitRate.Format(m.RxBps)} rx" : $"{BitRate.Format(m.TxBps)} tx";

    private static string Percent(double? ratio) => ratio is { } r ? (r * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "unknown";

    /// <param name="Ip">The host's address, or the /24 (CIDR) for a network.</param>
    private sealed record Candidate(string Ip, (int Wan, double Rx, double Tx)[] Parts, double OnOver, bool IsNetwork)
    {
        private int? _prefix;

        /// <summary>The /24 it is or lies in (-1: not IPv4); parsed when first asked (only sets with a /24 ask).</summary>
        public int Prefix => _prefix ??= PrefixOf(IsNetwork ? Ip[..Ip.IndexOf('/')] : Ip);

        public bool Overlaps(Candidate other) => (IsNetwork || other.IsNetwork) && Prefix >= 0 && Prefix == other.Prefix;

        /// <summary>The one WAN all its traffic is on, or -1 when it is split.</summary>
        private readonly int _only = Array.TrueForAll(Parts, p => p.Wan == Parts[0].Wan) ? Parts[0].Wan : -1;

        public bool OnlyOn(int wan) => _only == wan; // no closure: the search asks this hundreds of thousands of times
    }

    /// <summary>A set of moves and how the WANs end: how many over the threshold, the worst utilisation.</summary>
    private readonly record struct Best((int Host, int Target)[] Moves, int Over, double Worst)
    {
        public static Best Nothing { get; } = new([], int.MaxValue, double.PositiveInfinity);

        public bool Fits => Moves.Length > 0 && Over == 0;

        /// <summary>A plan that fits beats one that does not; then a lower worst utilisation; then fewer moves; equal is not better (the first found stays).</summary>
        public bool Better(Best other) =>
            Fits != other.Fits ? Fits
            : Math.Abs(Worst - other.Worst) > Epsilon ? Worst < other.Worst
            : Moves.Length < other.Moves.Length;
    }

    /// <summary>
    /// The WANs' capacities and rates, and their utilisation with some hosts moved: moves are pushed one at a time and
    /// undone to a mark (each change saved on a stack), so a search moves one host per step instead of replaying a set.
    /// </summary>
    private sealed class State
    {
        private readonly PlanWan[] _wans;
        private readonly CompareMode?[] _modes;
        private readonly double[] _rx;
        private readonly double[] _tx;
        private readonly int[] _touches;
        private readonly bool[] _known;
        private readonly double?[] _before;

        /// <summary>The WANs with a utilisation, highest first: the floor <see cref="CannotBeat"/> reads.</summary>
        private readonly int[] _highest;

        private (int Wan, double Rx, double Tx, int Touches)[] _saved = new (int, double, double, int)[32];
        private int _top;

        public State(IReadOnlyList<PlanWan> wans, CompareMode? compare)
        {
            _wans = [.. wans];
            _modes = _wans.Select(w => compare ?? (w.CapacityRxBps is > 0 && w.CapacityTxBps is > 0 ? CompareMode.PerDirection : CompareMode.Combined)).Select(m => (CompareMode?)m).ToArray();
            _rx = _wans.Select(w => w.RxBps).ToArray();
            _tx = _wans.Select(w => w.TxBps).ToArray();
            _touches = new int[_wans.Length];
            _before = _wans.Select((w, i) => Utilization(i, w.RxBps, w.TxBps)).ToArray();
            _known = _before.Select(u => u is not null).ToArray();
            _highest = [.. Enumerable.Range(0, _wans.Length).Where(i => _known[i]).OrderByDescending(i => _before[i])];
        }

        public int Count => _wans.Length;

        public bool Known(int w) => _known[w];

        public double?[] Utilizations() => [.. _before];

        /// <summary>Where <see cref="Undo"/> returns to.</summary>
        public int Mark => _top;

        /// <summary>Moves a host (all its parts) to <paramref name="target"/>.</summary>
        public void Push(Candidate host, int target)
        {
            foreach (var (wan, rx, tx) in host.Parts)
            {
                Save(wan);
                Save(target);
                (_touches[wan], _touches[target]) = (_touches[wan] + 1, _touches[target] + 1);
                _rx[wan] = Math.Max(0, _rx[wan] - rx);
                _tx[wan] = Math.Max(0, _tx[wan] - tx);
                _rx[target] += rx;
                _tx[target] += tx;
            }
        }

        public void Undo(int mark)
        {
            while (_top > mark)
            {
                var (w, rx, tx, touches) = _saved[--_top];
                (_rx[w], _tx[w], _touches[w]) = (rx, tx, touches);
            }
        }

        public double?[] With((int Host, int Target)[] moves, List<Candidate> candidates)
        {
            var mark = Mark;
            foreach (var (host, target) in moves)
                Push(candidates[host], target);
            var after = _wans.Select((_, i) => Utilization(i, _rx[i], _tx[i])).ToArray();
            Undo(mark);
            return after;
        }

        /// <summary>How the WANs end with the pushed moves: how many over the threshold, the worst utilisation.</summary>
        public (int Over, double Worst) Score(double threshold)
        {
            var (over, worst) = (0, 0.0);
            for (var i = 0; i < _wans.Length; i++)
            {
                // a WAN no move touched keeps its utilisation: the rule is evaluated only for those that changed
                if ((_touches[i] > 0 ? Utilization(i, _rx[i], _tx[i]) : _before[i]) is not { } u)
                    continue;
                over += u > threshold ? 1 : 0;
                worst = Math.Max(worst, u);
            }
            return (over, worst);
        }

        /// <summary>
        /// True when the pushed moves cannot make a plan better than <paramref name="best"/> (of as many moves): a WAN
        /// they do not touch keeps its utilisation, so the highest untouched one is a floor under the plan's worst;
        /// when that floor is at the best's worst and the plan cannot fit (the floor is over the threshold, or the
        /// best fits already), scoring it is wasted.
        /// </summary>
        public bool CannotBeat(double threshold, Best best)
        {
            if (double.IsPositiveInfinity(best.Worst))
                return false;
            foreach (var w in _highest)
            {
                if (_touches[w] > 0)
                    continue;
                var floor = _before[w]!.Value;
                return floor >= best.Worst - Epsilon && (best.Fits || floor > threshold);
            }
            return false;
        }

        private void Save(int w)
        {
            if (_top == _saved.Length)
                Array.Resize(ref _saved, _top * 2);
            _saved[_top++] = (w, _rx[w], _tx[w], _touches[w]);
        }

        private double? Utilization(int w, double rx, double tx) =>
            LoadRule.Evaluate(new WanReading(_wans[w].CapacityRxBps, _wans[w].CapacityTxBps, rx, tx, null), _modes[w], double.PositiveInfinity).Utilization;
    }
}
