using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Capture;

namespace RoutingFlow.Server.Devices;

/// <summary>
/// The devices attached for connection statistics, added and removed at run time: the set (kept in
/// <see cref="DeviceStateFile"/> so that it survives a restart), which capture feeds each one
/// (<see cref="DeviceCaptureFeeds"/>), and the interface watcher's events — a missing device is shown failed and
/// counted again, under its new ifindex, when it is back.
/// </summary>
public sealed partial class DeviceRegistry(RoutingFlowOptions options, string dataDirectory, CaptureManager captures, InterfaceWatcher interfaces,
    Kernel.KernelPrograms programs, TimeProvider time, ILogger<DeviceRegistry> logger)
    : IHostedService, IDisposable
{
    private readonly Dictionary<string, AttachedDevice> _devices = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly DeviceStateFile _file = new(dataDirectory, logger);
    private readonly DeviceCaptureFeeds _feeds = new(options, captures, programs, time, logger);

    public string StatePath => _file.Path;

    /// <summary>The last error saving the attached set (null when saved).</summary>
    public string? SaveError => _file.SaveError;

    public IReadOnlyList<AttachedDevice> Devices
    {
        get
        {
            lock (_gate)
                return [.. _devices.Values.OrderBy(d => d.Interface, StringComparer.Ordinal)];
        }
    }

    /// <summary>The shared capture of the devices that have no WAN/LAN capture of their own (null while there is none).</summary>
    public SharedDeviceCapture? Shared => _feeds.Shared;

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

    /// <summary>Stops counting on <paramref name="name"/> and frees its state; false when it was not attached.</summary>
    public bool Detach(string name)
    {
        lock (_gate)
        {
            if (!_devices.Remove(name))
                return false;
            Changed();
        }
        LogDetached(logger, name);
        return true;
    }

    /// <summary>The attached devices' side of the kernel counting programs (the eBPF backend): whether they count, the map's fill.</summary>
    public KernelDeviceFeed Kernel => _feeds.Kernel;

    /// <summary>The kernel counting programs: state, the load error with its fix.</summary>
    public Kernel.KernelPrograms Programs => programs;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        programs.Start(interfaces.Refresh().IfIndexes.Values);
        foreach (var name in _file.Load())
            Add(name);
        interfaces.Changed += OnInterfacesChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        interfaces.Changed -= OnInterfacesChanged;
        _feeds.Stop(); // the kernel's programs detached too
        return Task.CompletedTask;
    }

    public void Dispose() => _feeds.Dispose();

    /// <summary>Starts counting <paramref name="name"/>, present or not (a missing one shows failed until it appears).</summary>
    private bool Add(string name)
    {
        lock (_gate)
        {
            if (_devices.ContainsKey(name))
                return false;
            _devices[name] = new AttachedDevice(name);
            Changed();
        }
        LogAttached(logger, name);
        return true;
    }

    /// <summary>The set changed (under the lock): saved, and each device pointed at its capture.</summary>
    private void Changed()
    {
        _file.Save(_devices.Keys);
        _feeds.Reconcile(_devices, interfaces.Current);
    }

    private void OnInterfacesChanged(InterfaceSnapshot snapshot)
    {
        lock (_gate)
            _feeds.Reconcile(_devices, snapshot);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {Name} attached for connection statistics")]
    private static partial void LogAttached(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {Name} detached")]
    private static partial void LogDetached(ILogger logger, string name);
}

public enum AttachResult
{
    Attached,
    AlreadyAttached,

    /// <summary>The system has no interface of that name (and it was not attached).</summary>
    Missing,
}
