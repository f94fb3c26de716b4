using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Connections;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Server.Capture;

namespace RoutingFlow.Server.Devices;

/// <summary>
/// The one capture of every attached device that is not also a configured WAN/LAN capture: the <c>any</c> device as
/// Linux cooked (SLL2) frames, whose header carries the kernel's ifindex and packet type, with a kernel filter that
/// passes only the attached ifindexes (<c>ifindex 3 or ifindex 7</c>). The packet type is the kernel's own direction
/// at the device, right on a bridge port too, where a frame's source MAC says nothing of it; and one ring serves any
/// number of veths. <see cref="SetCounters"/> swaps in a new device set (and filter) between two batches.
/// </summary>
public sealed class SharedDeviceCapture(CaptureOptions options, TimeProvider time, ILogger logger)
    : CaptureThread(AnyDevice, options, time, logger, cooked: true)
{
    public const string AnyDevice = "any";
    private volatile DeviceDispatcher _dispatcher = new([]);
    private volatile ConsumerList _consumers = new([]);

    public DeviceDispatcher Dispatcher => _dispatcher;

    protected override ConsumerList ConsumerList => _consumers;

    protected override string? Filter => _dispatcher.Filter;

    /// <summary>Counts these devices from the next batch on (their counters carry over); the kernel filter follows.</summary>
    public void SetCounters(IReadOnlyCollection<DeviceConnectionCounter> counters)
    {
        if (counters.Count == _dispatcher.Counters.Count && counters.All(_dispatcher.Counters.Contains))
            return;
        var dispatcher = new DeviceDispatcher(counters, _dispatcher.Unattributed);
        _consumers = new ConsumerList([dispatcher]);
        _dispatcher = dispatcher; // the filter (read after the consumers) never runs ahead of them
    }
}
