namespace RoutingFlow.Capture.Addressing;

/// <summary>
/// Immutable longest-prefix match from CIDR blocks to values: one dictionary per prefix length,
/// probed from the longest length down. Built once, read by any thread.
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
            if (level.Values.TryGetValue(key, out value!))
            {
                network = new IpNetwork(key, level.Length);
                return true;
            }
        }
        value = default!;
        network = default;
        return false;
    }

    public bool TryMatch(IpAddr address, out T value) => TryMatch(address, out value, out _);

    private static Level[] Build(IEnumerable<KeyValuePair<IpNetwork, T>> entries) =>
        entries.GroupBy(e => e.Key.PrefixLength)
            .OrderByDescending(g => g.Key)
            .Select(g => new Level(g.Key, g.GroupBy(e => e.Key.Network).ToDictionary(d => d.Key, d => d.Last().Value)))
            .ToArray();

    private sealed record Level(int Length, Dictionary<IpAddr, T> Values);
}
