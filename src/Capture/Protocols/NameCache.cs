using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Protocols;

/// <summary>
/// Remote addresses named by what crossed the wire: the question of a DNS response that answered with them (kept
/// for the answer's TTL) or the server name of a TLS ClientHello sent to them (kept <see cref="TlsLifetime"/>). The
/// newest name wins. Bounded: at <c>capacity</c> the entry written longest ago goes (counted); expired entries go at
/// the next <see cref="Sweep"/> (and are never answered). Shared by every capture's inspection; a lock guards it (written once per DNS answer
/// or hello, not per packet), and a name already held for the address is refreshed without allocating.
/// </summary>
public sealed class NameCache(int capacity = 16_384)
{
    public static readonly TimeSpan TlsLifetime = TimeSpan.FromMinutes(5);

    /// <summary>TTLs above this are cut to it (RFC 2181 §8 allows 68 years; a router's view should not).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<IpAddr, Entry> _entries = new(1024);
    private readonly Queue<(IpAddr Address, long Written)> _order = new(1024);
    private NameCacheCounters _counters;
    private long _sweptMicros = long.MinValue / 2;

    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    public int Capacity { get; } = capacity;

    public NameCacheCounters Counters
    {
        get
        {
            lock (_lock)
                return _counters with { Held = _entries.Count };
        }
    }

    /// <summary>Names <paramref name="address"/> until <paramref name="nowMicros"/> + <paramref name="lifetime"/> (a zero lifetime names nothing).</summary>
    public void Learn(IpAddr address, ReadOnlySpan<char> name, TimeSpan lifetime, NameSource source, long nowMicros)
    {
        if (name.IsEmpty || lifetime <= TimeSpan.Zero)
            return;
        var expires = nowMicros + (long)(Math.Min(lifetime.Ticks, MaxLifetime.Ticks) / 10);
        lock (_lock)
        {
            _counters.Learned++;
            if (_entries.TryGetValue(address, out var held) && name.SequenceEqual(held.Name))
            {
                _entries[address] = held with { ExpiresMicros = Math.Max(held.ExpiresMicros, expires), Source = source };
                return;
            }
            if (!_entries.ContainsKey(address))
                MakeRoom();
            _entries[address] = new Entry(name.ToString(), expires, nowMicros, source);
            _order.Enqueue((address, nowMicros));
            if (_order.Count > (2 * Capacity) + 64)
                Compact();
        }
    }

    /// <summary>The name of <paramref name="address"/>, or null when none is known (or it expired).</summary>
    public string? Lookup(IpAddr address, long nowMicros)
    {
        lock (_lock)
            return _entries.TryGetValue(address, out var e) && e.ExpiresMicros > nowMicros ? e.Name : null;
    }

    /// <summary>Every name held and not expired, newest first, at most <paramref name="limit"/>.</summary>
    public List<NamedAddress> Snapshot(long nowMicros, int limit)
    {
        lock (_lock)
        {
            return [.. _entries.Where(e => e.Value.ExpiresMicros > nowMicros).OrderByDescending(e => e.Value.WrittenMicros).Take(limit)
                .Select(e => new NamedAddress(e.Key, e.Value.Name, e.Value.Source, (e.Value.ExpiresMicros - nowMicros) / 1e6))];
        }
    }

    /// <summary>Drops the names whose lifetime is over, at most once per <see cref="SweepInterval"/> (every capture's inspection calls it as it publishes).</summary>
    public void Sweep(long nowMicros)
    {
        lock (_lock)
        {
            if (nowMicros - _sweptMicros < SweepInterval.Ticks / 10)
                return;
            _sweptMicros = nowMicros;
            for (var n = _order.Count; n > 0 && _order.TryDequeue(out var item); n--)
            {
                if (!_entries.TryGetValue(item.Address, out var e) || e.WrittenMicros != item.Written)
                    continue; // renamed since: a stale place
                if (e.ExpiresMicros <= nowMicros)
                {
                    _entries.Remove(item.Address);
                    _counters.Expired++;
                }
                else
                {
                    _order.Enqueue(item);
                }
            }
        }
    }

    private void MakeRoom()
    {
        while (_entries.Count >= Capacity && _order.TryDequeue(out var oldest))
        {
            if (_entries.TryGetValue(oldest.Address, out var e) && e.WrittenMicros == oldest.Written)
            {
                _entries.Remove(oldest.Address);
                _counters.Evicted++;
            }
        }
    }

    /// <summary>Renamed addresses leave stale places in the write order: rebuilt when it holds twice the entries.</summary>
    private void Compact()
    {
        var live = _order.Where(o => _entries.TryGetValue(o.Address, out var e) && e.WrittenMicros == o.Written).ToList();
        _order.Clear();
        foreach (var o in live)
            _order.Enqueue(o);
    }

    private readonly record struct Entry(string Name, long ExpiresMicros, long WrittenMicros, NameSource Source);
}

public enum NameSource
{
    Dns,
    Tls,
}

public readonly record struct NamedAddress(IpAddr Address, string Name, NameSource Source, double ExpiresInSeconds);

public record struct NameCacheCounters(long Learned, long Evicted, long Expired, int Held);
