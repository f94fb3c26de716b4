using System.Net.NetworkInformation;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;

namespace RoutingFlow.Server.Capture;

/// <summary>
/// The one reader of the system's interfaces for the whole server: every <c>Capture:InterfaceWatchInterval</c> it
/// reads each interface's ifindex (<c>/sys/class/net</c>) and host addresses (one <c>getifaddrs</c>), and says when
/// that changed. The captures take their own addresses from it and the attached devices their ifindex, instead of
/// each capture listing every interface (with many veths that was captures × interfaces every few seconds).
/// </summary>
public sealed partial class InterfaceWatcher(CaptureOptions options, TimeProvider time, ILogger<InterfaceWatcher> logger) : BackgroundService
{
    private const string SysClassNet = "/sys/class/net";
    private readonly Lock _gate = new();
    private InterfaceSnapshot? _current;

    /// <summary>Raised (on the watcher's thread, or a caller of <see cref="Refresh"/>) with the new snapshot when it changed.</summary>
    public event Action<InterfaceSnapshot>? Changed;

    /// <summary>The last snapshot (read now if there is none yet).</summary>
    public InterfaceSnapshot Current => Volatile.Read(ref _current) ?? Refresh();

    /// <summary>Reads the interfaces now (an attach does not wait for the next tick); raises <see cref="Changed"/> if they changed.</summary>
    public InterfaceSnapshot Refresh()
    {
        InterfaceSnapshot next;
        lock (_gate)
        {
            var read = Read();
            if (_current is not null && _current.SameAs(read.IfIndexes, read.Addresses))
                return _current;
            next = new InterfaceSnapshot((_current?.Version ?? 0) + 1, read.IfIndexes, read.Addresses);
            Volatile.Write(ref _current, next);
        }
        Changed?.Invoke(next);
        return next;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.InterfaceWatchInterval, time);
        Refresh();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                Refresh();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NetworkInformationException)
            {
                LogReadFailed(logger, e.Message);
            }
        }
    }

    private static (Dictionary<string, int> IfIndexes, Dictionary<string, IReadOnlyList<IpNetwork>> Addresses) Read()
    {
        var ifIndexes = new Dictionary<string, int>(StringComparer.Ordinal);
        if (Directory.Exists(SysClassNet))
        {
            foreach (var dir in Directory.GetDirectories(SysClassNet))
            {
                if (ReadInt(Path.Combine(dir, "ifindex")) is { } ifIndex)
                    ifIndexes[Path.GetFileName(dir)] = ifIndex;
            }
        }
        var addresses = new Dictionary<string, IReadOnlyList<IpNetwork>>(StringComparer.Ordinal);
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            addresses[nic.Name] = nic.GetIPProperties().UnicastAddresses
                .Where(a => a.Address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || a.Address.ScopeId == 0)
                .Select(a => IpAddr.FromIPAddress(a.Address))
                .Select(ip => new IpNetwork(ip, ip.Bits))
                .OrderBy(n => n.ToString(), StringComparer.Ordinal)
                .ToList();
        }
        return (ifIndexes, addresses);
    }

    private static int? ReadInt(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), out var value) ? value : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // removed while being read
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the system's interfaces: {Reason}; trying again at the next tick")]
    private static partial void LogReadFailed(ILogger logger, string reason);
}

/// <summary>The system's interfaces at one moment: name → ifindex, name → host addresses (/32, /128). <see cref="Version"/> grows with each change.</summary>
public sealed class InterfaceSnapshot(long version, IReadOnlyDictionary<string, int> ifIndexes, IReadOnlyDictionary<string, IReadOnlyList<IpNetwork>> addresses)
{
    public long Version { get; } = version;

    public IReadOnlyDictionary<string, int> IfIndexes { get; } = ifIndexes;

    public IReadOnlyDictionary<string, IReadOnlyList<IpNetwork>> Addresses { get; } = addresses;

    /// <summary>The interface names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. IfIndexes.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The host addresses of these interfaces (those that exist).</summary>
    public IEnumerable<IpNetwork> AddressesOf(IEnumerable<string> names) =>
        names.Distinct().SelectMany(n => Addresses.GetValueOrDefault(n) ?? []);

    internal bool SameAs(IReadOnlyDictionary<string, int> ifIndexes, IReadOnlyDictionary<string, IReadOnlyList<IpNetwork>> addresses) =>
        ifIndexes.Count == IfIndexes.Count && ifIndexes.All(p => IfIndexes.TryGetValue(p.Key, out var i) && i == p.Value)
        && addresses.Count == Addresses.Count && addresses.All(p => Addresses.TryGetValue(p.Key, out var a) && a.SequenceEqual(p.Value));
}
