using System.Text;

namespace RoutingFlow.Server.Fleet;

/// <summary>One series of a fleet answer as the monitor uses it: its router, WAN, IP (per-IP answers) and value.</summary>
public readonly record struct KeyedSample(string Router, string Nic, string? Ip, double Value);

/// <summary>
/// Collects one answer's series keyed by the router label and <c>nic</c> (a series without either is not a router's
/// WAN and is left out), each router and WAN name made a string once per answer. With <c>top</c> above zero (the
/// per-IP answers) only each WAN's <c>top</c> highest finite values are kept, chosen as the series arrive, so an
/// answer of 200 IPs per WAN costs no more memory than one of 5 and an IP becomes a string only when it is kept.
/// </summary>
public sealed class KeyedCollector(string routerLabel, int top = 0)
{
    private const int MaxInterned = 256;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly List<KeyedSample> _all = [];
    private readonly Dictionary<(string Router, string Nic), List<KeyedSample>> _top = [];
    private readonly byte[] _lastBytes = new byte[2 * MaxInterned];
    private (string Router, string Nic)? _lastKey;
    private int _lastRouterLength;
    private int _lastNicLength;
    private List<KeyedSample>? _lastList;
    private string? _lastListRouter;
    private string? _lastListNic;

    /// <summary>The router label's key as an answer writes it: <c>"instance":"</c>.</summary>
    public byte[] RouterKey { get; } = Encoding.UTF8.GetBytes($"\"{routerLabel}\":\"");

    /// <summary>
    /// A series from the scanner: its router and WAN labels' raw UTF-8, its metric's text (for <c>ip</c>, read only when
    /// kept) and its value's text, parsed unless a full top list's smallest value is certainly above it. False: the
    /// value is not a number (the general reader then words the error).
    /// </summary>
    public bool Add(ReadOnlySpan<byte> router, ReadOnlySpan<byte> nic, ReadOnlySpan<byte> metric, ReadOnlySpan<byte> number)
    {
        var (r, n) = Key(router, nic);
        if (top > 0 && ListOf(r, n) is { Count: > 0 } full && full.Count == top && VectorScanner.CertainlyBelow(number, Smallest(full).Value))
            return true;
        if (!VectorScanner.TryNumber(number, out var value))
            return false;
        if (top <= 0)
            _all.Add(new KeyedSample(r, n, Ip(metric), value));
        else if (Admits(r, n, value, out var list, out var slot))
            Keep(list, slot, new KeyedSample(r, n, Ip(metric), value));
        return true;
    }

    private static string? Ip(ReadOnlySpan<byte> metric) =>
        VectorScanner.Label(metric, "\"ip\":\""u8, out var ip) ? Encoding.UTF8.GetString(ip) : null;

    /// <summary>A series from the general reader.</summary>
    public void Add(PromSample sample)
    {
        if (!sample.Labels.TryGetValue(routerLabel, out var router) || !sample.Labels.TryGetValue("nic", out var nic))
            return;
        var ip = sample.Labels.GetValueOrDefault("ip");
        if (top <= 0)
            _all.Add(new KeyedSample(router, nic, ip, sample.Value));
        else if (Admits(router, nic, sample.Value, out var list, out var slot))
            Keep(list, slot, new KeyedSample(router, nic, ip, sample.Value));
    }

    /// <summary>The kept series (per WAN in no particular order).</summary>
    public List<KeyedSample> Result() => top <= 0 ? _all : [.. _top.Values.SelectMany(l => l)];

    /// <summary>Whether a value enters its WAN's top list, and where: appended (slot −1) or in place of the smallest.</summary>
    private bool Admits(string router, string nic, double value, out List<KeyedSample> list, out int slot)
    {
        slot = -1;
        list = ListOf(router, nic);
        if (!double.IsFinite(value))
            return false;
        if (list.Count < top)
            return true;
        slot = SmallestAt(list);
        return value > list[slot].Value;
    }

    private List<KeyedSample> ListOf(string router, string nic)
    {
        if (_lastList is { } cached && ReferenceEquals(_lastListRouter, router) && ReferenceEquals(_lastListNic, nic))
            return cached;
        ref var list = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_top, (router, nic), out _);
        list ??= new List<KeyedSample>(top);
        (_lastList, _lastListRouter, _lastListNic) = (list, router, nic);
        return list;
    }

    private static KeyedSample Smallest(List<KeyedSample> list) => list[SmallestAt(list)];

    private static int SmallestAt(List<KeyedSample> list)
    {
        var at = 0;
        for (var i = 1; i < list.Count; i++)
        {
            if (list[i].Value < list[at].Value)
                at = i;
        }
        return at;
    }

    private static void Keep(List<KeyedSample> list, int slot, KeyedSample sample)
    {
        if (slot < 0)
            list.Add(sample);
        else
            list[slot] = sample;
    }

    /// <summary>
    /// The router and WAN names of a series: the previous series' again when its bytes are the same (an answer lists a
    /// WAN's series together, so the names are made strings once per WAN, not once per series).
    /// </summary>
    private (string Router, string Nic) Key(ReadOnlySpan<byte> router, ReadOnlySpan<byte> nic)
    {
        if (_lastKey is { } last && router.SequenceEqual(_lastBytes.AsSpan(0, _lastRouterLength)) && nic.SequenceEqual(_lastBytes.AsSpan(_lastRouterLength, _lastNicLength)))
            return last;
        _lastKey = null;
        var key = (Intern(router), Intern(nic));
        if (router.Length + nic.Length <= _lastBytes.Length)
        {
            router.CopyTo(_lastBytes);
            nic.CopyTo(_lastBytes.AsSpan(router.Length));
            (_lastRouterLength, _lastNicLength, _lastKey) = (router.Length, nic.Length, key);
        }
        return key;
    }

    private string Intern(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxInterned)
            return Cache(Encoding.UTF8.GetString(utf8));
        Span<char> chars = stackalloc char[MaxInterned];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        return _strings.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars[..length], out var known) ? known : Cache(new string(chars[..length]));
    }

    private string Cache(string text)
    {
        if (_strings.TryGetValue(text, out var known))
            return known;
        _strings[text] = text;
        return text;
    }
}
