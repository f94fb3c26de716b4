using System.Text.Json;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Connections;
using RoutingFlow.Server.Capture;

namespace RoutingFlow.Server.Devices;

/// <summary>
/// The devices attached for connection statistics, added and removed at run time, and the attached set kept in
/// <c>devices.json</c> in the data directory so that it survives a restart. Each device is fed by its own WAN/LAN
/// capture when it is also a configured one (one decode per frame), the rest by one shared capture of the
/// <c>any</c> device filtered to their ifindexes (<see cref="SharedDeviceCapture"/>), started with the first such
/// device and stopped (off the request's thread) with the last. The interface watcher says when an interface comes or
/// goes: a missing device is shown failed and counted again, under its new ifindex, when it is back.
/// </summary>
public sealed partial class DeviceRegistry(RoutingFlowSettings settings, string dataDirectory, CaptureManager captures, InterfaceWatcher interfaces,
    TimeProvider time, ILogger<DeviceRegistry> logger)
    : IHostedService, IDisposable
{
    public const string FileName = "devices.json";
    private readonly Dictionary<string, AttachedDevice> _devices = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private SharedDeviceCapture? _shared;

    public string StatePath { get; } = Path.Combine(dataDirectory, FileName);

    /// <summary>The last error saving the attached set (null when saved).</summary>
    public string? SaveError { get; private set; }

    public IReadOnlyList<AttachedDevice> Devices
    {
        get
        {
            lock (_gate)
                return [.. _devices.Values.OrderBy(d => d.Interface, StringComparer.Ordinal)];
        }
    }

    /// <summary>The shared capture of the devices that have no WAN/LAN capture of their own (null while there is none).</summary>
    public SharedDeviceCapture? Shared
    {
        get
        {
            lock (_gate)
                return _shared;
        }
    }

    public AttachedDevice? Find(string name)
    {
        lock (_gate)
            return _devices.GetValueOrDefault(name);
    }

    /// <summary>The attached device whose current ifindex is <paramref name="ifIndex"/>.</summary>
    public AttachedDevice? FindById(int ifIndex) => Devices.FirstOrDefault(d => d.Device?.IfIndex == ifIndex);

    /// <summary>Starts counting on <paramref name="name"/>, unless it is attached already or the system has no such interface.</summary>
    public AttachResult Attach(string name)
    {
        if (Find(name) is not null)
            return AttachResult.AlreadyAttached;
        if (!interfaces.Refresh().IfIndexes.ContainsKey(name)) // read now: the interface may be seconds old
            return AttachResult.Missing;
        return Add(name) ? AttachResult.Attached : AttachResult.AlreadyAttached;
    }

    /// <summary>Starts counting <paramref name="name"/>, present or not (a missing one shows failed until it appears).</summary>
    private bool Add(string name)
    {
        lock (_gate)
        {
            if (_devices.ContainsKey(name))
                return false;
            _devices[name] = new AttachedDevice(name);
            Save();
            Reconcile(interfaces.Current);
        }
        LogAttached(logger, name);
        return true;
    }

    /// <summary>Stops counting on <paramref name="name"/> and frees its state; false when it was not attached.</summary>
    public bool Detach(string name)
    {
        lock (_gate)
        {
            if (!_devices.Remove(name))
                return false;
            Save();
            Reconcile(interfaces.Current);
        }
        LogDetached(logger, name);
        return true;
    }

    /// <summary>
    /// Points every attached device at its current ifindex and its feeding capture (under the lock): a WAN/LAN
    /// capture of the same interface feeds it, the shared capture the rest; a configured capture whose device was
    /// detached stops feeding it.
    /// </summary>
    private void Reconcile(InterfaceSnapshot snapshot)
    {
        var shared = new List<DeviceConnectionCounter>();
        foreach (var device in _devices.Values)
        {
            int? ifIndex = snapshot.IfIndexes.TryGetValue(device.Interface, out var i) ? i : null;
            if (captures.Find(device.Interface) is { } session)
            {
                var counter = device.Update(ifIndex, session, settings.Options);
                if (!ReferenceEquals(session.DeviceCounter, counter))
                    session.SetDeviceCounter(counter);
            }
            else if (device.Update(ifIndex, SharedCapture(), settings.Options) is { } counter)
            {
                shared.Add(counter);
            }
        }
        foreach (var session in captures.Sessions)
        {
            if (session.DeviceCounter is not null && !_devices.ContainsKey(session.Interface))
                session.SetDeviceCounter(null);
        }
        if (_devices.Keys.All(n => captures.Find(n) is not null))
            StopShared();
        else
            SharedCapture().SetCounters(shared);
    }

    /// <summary>The shared capture, started when the first device needs it.</summary>
    private SharedDeviceCapture SharedCapture()
    {
        if (_shared is null)
        {
            _shared = new SharedDeviceCapture(settings.Options.Capture, time, logger);
            _shared.Start();
        }
        return _shared;
    }

    private void StopShared()
    {
        if (_shared is null)
            return;
        _ = _shared.StopAsync(); // its thread ends within a poll wait, off the caller's
        _shared = null;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in Load())
            Add(name);
        interfaces.Changed += OnInterfacesChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        interfaces.Changed -= OnInterfacesChanged;
        Shared?.Stop();
        return Task.CompletedTask;
    }

    public void Dispose() => Shared?.Dispose();

    private void OnInterfacesChanged(InterfaceSnapshot snapshot)
    {
        lock (_gate)
            Reconcile(snapshot);
    }

    private List<string> Load()
    {
        try
        {
            if (!File.Exists(StatePath))
                return [];
            var names = JsonSerializer.Deserialize<List<string>>(File.ReadAllText(StatePath)) ?? [];
            return names.Where(DeviceInfo.IsValidName).Distinct(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            LogLoadFailed(logger, StatePath, e.Message);
            return [];
        }
    }

    /// <summary>Writes the attached set (under the lock): a temporary file renamed over the old one.</summary>
    private void Save()
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(StatePath)!);
            var temporary = StatePath + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(_devices.Keys.Order(StringComparer.Ordinal).ToList()));
            File.Move(temporary, StatePath, overwrite: true);
            SaveError = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            SaveError = $"cannot save the attached devices to {StatePath}: {e.Message}";
            LogSaveFailed(logger, SaveError);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {Name} attached for connection statistics")]
    private static partial void LogAttached(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {Name} detached")]
    private static partial void LogDetached(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the attached devices from {Path}: {Reason}; starting with none")]
    private static partial void LogLoadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason}")]
    private static partial void LogSaveFailed(ILogger logger, string reason);
}

public enum AttachResult
{
    Attached,
    AlreadyAttached,

    /// <summary>The system has no interface of that name (and it was not attached).</summary>
    Missing,
}
