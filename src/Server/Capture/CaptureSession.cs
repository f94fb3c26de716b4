using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Conntrack;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Server.Capture;

/// <summary>
/// One configured interface's capture (role <c>wan</c> or <c>lan</c>): the WAN accounting and the other consumers
/// (the TCP analysis) read its frames on the shared read loop (<see cref="CaptureThread"/>), and it publishes a
/// snapshot of the accounting every <see cref="CaptureThread.PublishInterval"/>. A device attached for connection
/// statistics on this same interface is fed by this capture too (<see cref="SetDeviceCounter"/>): one decode per frame.
/// </summary>
public sealed class CaptureSession : CaptureThread
{
    private readonly IReadOnlyList<IpNetwork> _configuredLocal;
    private readonly IReadOnlyList<string> _captureInterfaces;
    private readonly InterfaceWatcher _interfaces;
    private readonly WanAccountant _accountant;
    private readonly IPacketConsumer[] _configured;
    private readonly IpClassifier _classifier;
    private long _addressVersion = -1;
    private volatile ConsumerList _consumers;
    private volatile CaptureSnapshot? _latest;

    public CaptureSession(CaptureSpec spec, CaptureOptions options, RouterLayout layout, NicMapHolder mapping, InterfaceWatcher interfaces,
        TimeProvider time, ILogger logger, IEnumerable<ICaptureConsumerFactory>? consumers = null, ConnectionAttribution? connections = null)
        : base(spec.Interface, options, time, logger)
    {
        Spec = spec;
        _interfaces = interfaces;
        _configuredLocal = layout.LocalNetworks;
        _captureInterfaces = layout.Captures.Select(c => c.Interface).ToList();
        _classifier = new IpClassifier(LocalNetworks());
        var wanNic = spec.Nic is null ? TrafficKey.NoNic : mapping.Current.IndexOf(spec.Nic) ?? TrafficKey.NoNic;
        _accountant = new WanAccountant(spec.Role, wanNic, _classifier, mapping, options.MaxTrackedIps, options.IdleTimeout, connections);
        var context = new CaptureContext(spec, wanNic, _classifier, mapping) { Connections = connections };
        _configured = [_accountant, .. (consumers ?? []).Select(f => f.Create(context)).OfType<IPacketConsumer>()];
        _consumers = new ConsumerList(_configured);
    }

    public CaptureSpec Spec { get; }

    public CaptureSnapshot? Latest => _latest;

    /// <summary>Every consumer of this capture's frames, the WAN accounting first.</summary>
    public IReadOnlyList<IPacketConsumer> Consumers => _consumers.Consumers;

    protected override ConsumerList ConsumerList => _consumers;

    /// <summary>The device counter this capture also feeds (this interface attached for connection statistics).</summary>
    public IPacketConsumer? DeviceCounter => _consumers.Consumers.Count > _configured.Length ? _consumers.Consumers[^1] : null;

    /// <summary>Feeds <paramref name="counter"/> too from the next batch on (null: no longer); swapped in, never locked on the capture thread.</summary>
    public void SetDeviceCounter(IPacketConsumer? counter)
    {
        _consumers = new ConsumerList(counter is null ? _configured : [.. _configured, counter]);
    }

    /// <summary>The session as the dashboard and /status name it: lower-case role and state, latest counts.</summary>
    public Traffic.CaptureStatus Describe() => new(Spec.Interface, Spec.Role.ToString().ToLowerInvariant(), Spec.Nic,
        State.ToString().ToLowerInvariant(), Error, _latest?.Decode.Packets ?? 0, _latest?.Drops ?? 0);

    protected override void OnOpened(LiveCapture capture) => RefreshLocalNetworks(force: true);

    protected override void OnPublishing() => RefreshLocalNetworks(force: false);

    protected override void OnPublished(CaptureStatistics pcap)
    {
        var traffic = _accountant.Latest!;
        _latest = new CaptureSnapshot(traffic.MonotonicMicros, traffic.Entries, traffic.Decode, pcap, traffic.Evictions, traffic.Overflows, traffic.Attribution);
    }

    /// <summary>
    /// The capture interfaces' own addresses are local; they change (PPPoE, DHCP), so they are taken again from the
    /// interface watcher when a capture opens and whenever the watcher saw a change, and the classifier is only told
    /// when the set really changed.
    /// </summary>
    private void RefreshLocalNetworks(bool force)
    {
        var snapshot = _interfaces.Current;
        if (!force && snapshot.Version == _addressVersion)
            return;
        _addressVersion = snapshot.Version;
        var current = LocalNetworks(snapshot);
        if (!current.Networks.SequenceEqual(_classifier.LocalNetworks.Networks))
            _classifier.SetLocalNetworks(current);
    }

    private NetworkSet LocalNetworks(InterfaceSnapshot? snapshot = null) =>
        new(_configuredLocal.Concat((snapshot ?? _interfaces.Current).AddressesOf(_captureInterfaces)));
}
