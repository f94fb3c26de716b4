using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Connections;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Server.Capture;

namespace RoutingFlow.Server.Devices;

/// <summary>
/// An interface attached for connection statistics (role <c>device</c>): its own capture feeding a
/// <see cref="DeviceConnectionCounter"/>, which tells the device's own frames by their source MAC. (libpcap offers
/// cooked frames, which carry the kernel's packet type, only on the <c>any</c> device here: <c>pcap_set_datalink</c>
/// refuses SLL/SLL2 on an Ethernet interface.) Each time the
/// capture opens, the device is read again: a veth re-created by a container restart comes back with a new ifindex,
/// and its counters then start afresh under the new device id.
/// </summary>
public sealed class DeviceCapture(string name, RoutingFlowOptions options, TimeProvider time, ILogger logger)
    : CaptureThread(name, options.Capture, time, logger)
{
    private volatile ConsumerList _consumers = new([]);
    private volatile DeviceConnectionCounter? _counter;
    private volatile DeviceInfo? _device;
    private volatile DeviceCaptureSnapshot? _latest;

    /// <summary>The device as last opened (null before).</summary>
    public DeviceInfo? Device => _device;

    public DeviceConnectionCounter? Counter => _counter;

    public DeviceCaptureSnapshot? Latest => _latest;

    protected override ConsumerList ConsumerList => _consumers;

    protected override void OnOpened(LiveCapture capture)
    {
        var device = DeviceInfo.Read(Interface, options.Connections) ?? throw new CaptureSourceException($"interface '{Interface}' does not exist");
        if (_counter is null || _device?.IfIndex != device.IfIndex || _device.IsVeth != device.IsVeth || _device.Mac != device.Mac)
        {
            _counter = new DeviceConnectionCounter(device.IfIndex, device.IsVeth, options.Connections, device.LinkHeaderBytes, device.Mac);
            _consumers = new ConsumerList([_counter]);
        }
        _device = device;
    }

    protected override void OnPublished(CaptureStatistics pcap)
    {
        if (_counter?.Latest is { } counts)
            _latest = new DeviceCaptureSnapshot(counts, pcap);
    }
}

/// <summary>A device's counters and its capture's statistics, as of the last publication.</summary>
public sealed record DeviceCaptureSnapshot(DevicePublication Counts, CaptureStatistics Pcap);
