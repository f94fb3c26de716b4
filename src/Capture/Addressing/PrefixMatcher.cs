namespace RoutingFlow.Capture.Addressing;

/// <summary>
/// Immutable longest-prefix match from CIDR blocks to values: per prefix length, the networks sorted with their
/// values beside them, probed by binary search from the longest length down. Built once, read by any thread.
/// (Sorted arrays rather than a <c>Dictionary&lt;IpAddr, T&gt;</c>: the lookup is this assembly's own code, so it
/// is compiled ahead of time instead of starting as unoptimised JIT code in a short <c>analyze</c> run.)
/// </summary>
public sealed class PrefixMatcher<T>
{
    private readonly Level[] _v4;
    private readonly Level[] _v6;

    public PrefixMatcher(IEnumerable<KeyValuePair<IpNetwork, T>> entries)
    {
        var list = entries.ToList();
        Count = list.Count;
        _v4 = Build(list.Where(e => !e.Key.Network.IsV6));
        _v6 = Build(list.Where(e => e.Key.Network.IsV6));
    }

    public int Count { get; }

    public bool TryMatch(IpAddr address, out T value, out IpNetwork network)
    {
        foreach (var level in address.IsV6 ? _v6 : _v4)
        {
            var key = address.Mask(level.Length);
            var index = level.IndexOf(key);
            if (index >= 0)
            {
                value = level.Values[index];
                network = new IpNetwork(key, level.Length);
                return true;
            }
        }
        value = default!;
        network = default;
        return false;
    }

    public bool TryMatch(IpAddr address, out T value) => TryMatch(address, out value, out _);

    /// <summary>One level per prefix length, longest first; a network listed twice keeps its last value.</summary>
    private static Level[] Build(IEnumerable<KeyValuePair<IpNetwork, T>> entries) =>
        entries.GroupBy(e => e.Key.PrefixLength)
            .OrderByDescending(g => g.Key)
            .Select(g =>
            {
                var networks = g.GroupBy(e => e.Key.Network).Select(d => d.Last()).OrderBy(e => e.Key.Network).ToArray();
                return new Level(g.Key, networks.Select(e => e.Key.Network).ToArray(), networks.Select(e => e.Value).ToArray());
            })
            .ToArray();

    private sealed record Level(int Length, IpAddr[] Keys, T[] Values)
    {
        public int IndexOf(IpAddr key)
        {
            var (low, high) = (0, Keys.Length - 1);
            while (low <= high)
            {
                var middle = (low + high) >>> 1;
                var order = Keys[middle].CompareTo(key);
                if (order == 0)
                    return middle;
                if (order < 0)
                    low = middle + 1;
                else
                    high = middle - 1;
            }
            return -1;
        }
    }
}
