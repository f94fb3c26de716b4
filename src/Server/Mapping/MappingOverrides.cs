using System.Text.Json;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Server.Mapping;

/// <summary>One IP→WAN override an operator applied (from the rebalancing advice): who, when.</summary>
public sealed record MappingOverride(string Target, string Nic, DateTimeOffset AppliedAt, string By);

/// <summary>
/// Mapping overrides: rules that take precedence over the static and URL mapping for the same network and those inside it, in effect at
/// once (the mapping is swapped whole) and kept in <c>mapping-overrides.json</c> in the data directory (written to a
/// temporary file, then renamed), so that they survive a restart. Source <c>advice</c> in the mapping's entries.
/// </summary>
public sealed partial class MappingOverrides
{
    public const string FileName = "mapping-overrides.json";
    public const string Source = "advice";
    private readonly NicMapHolder _holder;
    private readonly Lock _lock = new();
    private List<MappingOverride> _current = [];
    private IReadOnlyList<MappingEntry> _base;

    public MappingOverrides(NicMapHolder holder, string directory, ILogger<MappingOverrides> logger)
    {
        _holder = holder;
        _base = [.. holder.Current.Entries.Where(e => e.Source != Source)]; // the static mapping, until the poller says more
        Path = System.IO.Path.Combine(directory, FileName);
        try
        {
            if (File.Exists(Path))
                _current = JsonSerializer.Deserialize<List<MappingOverride>>(File.ReadAllText(Path), JsonSerializerOptions.Web) ?? [];
            _current = [.. _current.Where(o => Network(o.Target) is not null && holder.Current.IndexOf(o.Nic) is not null)];
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            Error = $"{Path} could not be read ({e.Message}): no overrides in effect";
            LogUnreadable(logger, Path, e.Message);
        }
        Reapply();
    }

    public string Path { get; }

    public string? Error { get; private set; }

    public IReadOnlyList<MappingOverride> Current
    {
        get
        {
            lock (_lock)
                return [.. _current];
        }
    }

    /// <summary>Adds (or replaces, per target) overrides, puts them in effect and saves them; returns the error when they could not be saved.</summary>
    public string? Add(IReadOnlyList<MappingOverride> overrides)
    {
        lock (_lock)
            _current = [.. _current.Where(o => overrides.All(n => n.Target != o.Target && !Covers(Network(n.Target), Network(o.Target)))), .. overrides];
        Reapply();
        return Save();
    }

    public string? Clear()
    {
        lock (_lock)
            _current = [];
        Reapply();
        return Save();
    }

    /// <summary>The mapping without overrides changed (the URL's rules polled): the overrides are laid over it again.</summary>
    public void UseBase(IReadOnlyList<MappingEntry> entries)
    {
        lock (_lock)
            _base = entries;
        Reapply();
    }

    /// <summary>
    /// The static and URL entries with the overrides first; an entry for a network an override covers (the same, or
    /// one inside it: a host's /32 under a moved /24) is left out, so that the override is what the mapping says.
    /// </summary>
    public static List<MappingEntry> Merge(IEnumerable<MappingEntry> others, IReadOnlyList<MappingEntry> overrides) =>
        [.. overrides, .. others.Where(e => e.Source != Source && !overrides.Any(o => Covers(o.Network, e.Network)))];

    /// <summary>Whether <paramref name="outer"/> holds all of <paramref name="inner"/>.</summary>
    public static bool Covers(IpNetwork? outer, IpNetwork? inner) =>
        outer is { } o && inner is { } i && o.PrefixLength <= i.PrefixLength && o.Contains(i.Network);

    /// <summary>A CIDR or a single address (as /32 or /128); null when it is neither.</summary>
    public static IpNetwork? Network(string target)
    {
        var address = target.Split('/')[0];
        if (!Hosts.HostAddress.TryParse(address, out _)) // a dotted quad or IPv6: not .NET's 0, 10.1 or 0x1F
            return null;
        var text = target.Contains('/') ? target : target + (target.Contains(':') ? "/128" : "/32");
        return IpNetwork.TryParse(text, out var network, out _) ? network : null;
    }

    private void Reapply()
    {
        lock (_lock)
        {
            var current = _holder.Current;
            var merged = Merge(_base, [.. _current.Select(o => new MappingEntry(Network(o.Target)!.Value, o.Nic, Source))]);
            if (!merged.SequenceEqual(current.Entries))
                _holder.Current = current.WithEntries(merged);
        }
    }

    private string? Save()
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var temporary = Path + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(Current, JsonSerializerOptions.Web));
            File.Move(temporary, Path, overwrite: true);
            Error = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Error = $"the overrides apply but could not be saved to {Path}: {e.Message}";
        }
        return Error;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mapping overrides: {Path} could not be read ({Error}); none in effect")]
    private static partial void LogUnreadable(ILogger logger, string path, string error);
}
