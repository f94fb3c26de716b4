using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Connections;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Server.Capture;

namespace RoutingFlow.Server.Devices;

/// <summary>
/// An interface attached for connection statistics (a third role beside <c>wan</c> and <c>lan</c>): its counter, and
/// the capture that feeds it — the configured capture of the same interface when there is one (one decode per frame
/// for both), else the shared <see cref="SharedDeviceCapture"/>. When the interface disappears it shows failed; when
/// it comes back (a container restart re-creating its veth, with a new ifindex) its counters start afresh under the
/// new device id.
/// </summary>
public sealed class AttachedDevice(string name)
{
    private volatile DeviceInfo? _device;
    private volatile DeviceConnectionCounter? _counter;
    private volatile CaptureThread? _feed;
    private volatile bool _missing;
    private volatile bool _kernel;
    private volatile string? _kernelError;

    public string Interface { get; } = name;

    /// <summary>The device as last seen present (null before).</summary>
    public DeviceInfo? Device => _device;

    public DeviceConnectionCounter? Counter => _counter;

    /// <summary>The capture feeding this device's counter (null while it is missing, or before the first reconcile).</summary>
    public CaptureThread? Feed => _feed;

    /// <summary>True when the capture feeding it is the interface's own WAN/LAN capture.</summary>
    public bool SharesWanLanCapture => _feed is CaptureSession;

    /// <summary>True when the kernel counts it (the eBPF backend), not a capture.</summary>
    public bool CountedByKernel => _kernel;

    public CaptureState State => _missing || _kernelError is not null ? CaptureState.Failed
        : _kernel ? (_counter?.Latest is null ? CaptureState.Starting : CaptureState.Running) // running once the maps were read
        : _feed?.State ?? CaptureState.Starting;

    public string? Error => _missing
        ? $"interface '{Interface}' does not exist (removed?); it is counted again, under its new ifindex, when it is back"
        : _kernel ? _kernelError : _feed?.Error;

    public DeviceCaptureSnapshot? Latest => _counter?.Latest is { } counts ? new DeviceCaptureSnapshot(counts, _feed?.Statistics ?? default) : null;

    /// <summary>
    /// Takes the interface's ifindex now (null: missing) and the capture that should feed it (null: the kernel counts it).
    /// Returns the counter to feed (a new one when the ifindex changed), or null when the device is missing.
    /// </summary>
    internal DeviceConnectionCounter? Update(int? ifIndex, CaptureThread? feed, RoutingFlowOptions options)
    {
        if (ifIndex is null)
        {
            _missing = true;
            return null;
        }
        if (_device?.IfIndex != ifIndex || _counter is null)
        {
            if (DeviceInfo.Read(Interface, options.Connections) is not { } device)
            {
                _missing = true; // removed since the snapshot
                return null;
            }
            _counter = new DeviceConnectionCounter(device.IfIndex, device.IsVeth, options.Connections, device.LinkHeaderBytes, device.Mac);
            _device = device;
        }
        _feed = feed;
        (_missing, _kernel, _kernelError) = (false, feed is null, null);
        return _counter;
    }

    /// <summary>As <see cref="Update"/>, for a device the kernel counts: no capture feeds it.</summary>
    internal DeviceConnectionCounter? UpdateKernel(int? ifIndex, RoutingFlowOptions options) => Update(ifIndex, null, options);

    /// <summary>Why the kernel does not count it (null: it does).</summary>
    internal void SetKernelError(string? error) => _kernelError = error;
}

/// <summary>A device's counters and its capture's statistics, as of the last publication.</summary>
public sealed record DeviceCaptureSnapshot(DevicePublication Counts, CaptureStatistics Pcap);
