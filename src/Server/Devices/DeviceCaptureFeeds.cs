using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Connections;
using RoutingFlow.Server.Capture;

namespace RoutingFlow.Server.Devices;

/// <summary>
/// Which capture feeds each attached device: its own WAN/LAN capture when it is also a configured one (one decode
/// per frame), the rest one shared capture of the <c>any</c> device filtered to their ifindexes
/// (<see cref="SharedDeviceCapture"/>), started with the first such device and stopped (off the caller's thread)
/// with the last; with the eBPF backend, the kernel counts every attached device (<see cref="KernelDeviceFeed"/>).
/// Called under the registry's lock.
/// </summary>
public sealed class DeviceCaptureFeeds(RoutingFlowOptions options, CaptureManager captures, Kernel.KernelPrograms programs, TimeProvider time, ILogger logger) : IDisposable
{
    private readonly KernelDeviceFeed _kernel = new(programs, options.Connections, time);

    private volatile SharedDeviceCapture? _shared;

    /// <summary>The shared capture of the devices that have no WAN/LAN capture of their own (null while there is none).</summary>
    public SharedDeviceCapture? Shared => _shared;

    /// <summary>
    /// Points every attached device at its current ifindex and its feeding capture; a configured capture whose
    /// device was detached stops feeding it.
    /// </summary>
    public void Reconcile(IReadOnlyDictionary<string, AttachedDevice> devices, InterfaceSnapshot snapshot)
    {
        if (_kernel.Active)
        {
            ReconcileKernel(devices, snapshot);
            return;
        }
        var shared = new List<DeviceConnectionCounter>();
        foreach (var device in devices.Values)
        {
            int? ifIndex = snapshot.IfIndexes.TryGetValue(device.Interface, out var i) ? i : null;
            if (captures.Find(device.Interface) is { } session)
            {
                var counter = device.Update(ifIndex, session, options);
                if (!ReferenceEquals(session.DeviceCounter, counter))
                    session.SetDeviceCounter(counter);
            }
            else if (device.Update(ifIndex, SharedCapture(), options) is { } counter)
            {
                shared.Add(counter);
            }
        }
        foreach (var session in captures.Sessions)
        {
            if (session.DeviceCounter is not null && !devices.ContainsKey(session.Interface))
                session.SetDeviceCounter(null);
        }
        if (devices.Keys.All(n => captures.Find(n) is not null))
            StopShared();
        else
            SharedCapture().SetCounters(shared);
    }

    /// <summary>Every device counted by the kernel: no capture feeds one (a WAN/LAN capture's device counter is taken off).</summary>
    private void ReconcileKernel(IReadOnlyDictionary<string, AttachedDevice> devices, InterfaceSnapshot snapshot)
    {
        var keep = new HashSet<int>();
        foreach (var device in devices.Values)
        {
            int? ifIndex = snapshot.IfIndexes.TryGetValue(device.Interface, out var i) ? i : null;
            if (device.UpdateKernel(ifIndex, options) is not { } counter)
                continue;
            device.SetKernelError(_kernel.Feed(device.Device!, counter));
            keep.Add(device.Device!.IfIndex);
        }
        _kernel.Keep(keep);
        foreach (var session in captures.Sessions)
        {
            if (session.DeviceCounter is not null)
                session.SetDeviceCounter(null);
        }
        StopShared();
    }

    /// <summary>The kernel counting programs (the eBPF backend).</summary>
    public KernelDeviceFeed Kernel => _kernel;

    public void Stop()
    {
        _shared?.Stop();
        _kernel.Dispose(); // no program stays attached after the server
    }

    public void Dispose()
    {
        _shared?.Dispose();
        _kernel.Dispose();
    }

    /// <summary>The shared capture, started when the first device needs it.</summary>
    private SharedDeviceCapture SharedCapture()
    {
        if (_shared is null)
        {
            _shared = new SharedDeviceCapture(options.Capture, time, logger);
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
}
