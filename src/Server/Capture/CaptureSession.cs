using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Web.Traffic;

namespace RoutingFlow.Server.Capture;

/// <summary>
/// One configured interface's capture (role <c>wan</c> or <c>lan</c>): the WAN accounting and the other consumers
/// (the TCP analysis) read its frames on the shared read loop (<see cref="CaptureThread"/>), and it publishes a
/// snapshot of the accounting every <see cref="CaptureThread.PublishInterval"/>.
/// </summary>
public sealed class CaptureSession : CaptureThread
{
    private static readonly TimeSpan AddressRefresh = TimeSpan.FromSeconds(10);
    private readonly IReadOnlyList<IpNetwork> _configuredLocal;
    private readonly IReadOnlyList<string> _captureInterfaces;
    private readonly WanAccountant _accountant;
    private readonly ConsumerList _consumers;
    private readonly IpClassifier _classifier;
    private long _nextAddressRefresh;
    private volatile CaptureSnapshot? _latest;

    public CaptureSession(CaptureSpec spec, RoutingFlowSettings settings, NicMapHolder mapping, TimeProvider time, ILogger logger,
        IEnumerable<ICaptureConsumerFactory>? consumers = null)
        : base(spec.Interface, settings.Options.Capture, time, logger)
    {
        Spec = spec;
        var options = settings.Options.Capture;
        _configuredLocal = settings.LocalNetworks;
        _captureInterfaces = settings.Captures.Select(c => c.Interface).ToList();
        _classifier = new IpClassifier(LocalNetworks());
        var wanNic = spec.Nic is null ? TrafficKey.NoNic : mapping.Current.IndexOf(spec.Nic) ?? TrafficKey.NoNic;
        _accountant = new WanAccountant(spec.Role, wanNic, _classifier, mapping, options.MaxTrackedIps, options.IdleTimeout);
        var context = new CaptureContext(spec, wanNic, _classifier, mapping);
        _consumers = new ConsumerList([_accountant, .. (consumers ?? []).Select(f => f.Create(context)).OfType<IPacketConsumer>()]);
    }

    public CaptureSpec Spec { get; }

    public CaptureSnapshot? Latest => _latest;

    /// <summary>Every consumer of this capture's frames, the WAN accounting first.</summary>
    public IReadOnlyList<IPacketConsumer> Consumers => _consumers.Consumers;

    protected override ConsumerList ConsumerList => _consumers;

    /// <summary>The session as the dashboard and /status name it: lower-case role and state, latest counts.</summary>
    public CaptureInfo Describe() => new(Spec.Interface, Spec.Role.ToString().ToLowerInvariant(), Spec.Nic,
        State.ToString().ToLowerInvariant(), Error, _latest?.Decode.Packets ?? 0, _latest?.Drops ?? 0);

    protected override void OnOpened(LiveCapture capture) => RefreshLocalNetworks(force: true);

    protected override void OnPublishing() => RefreshLocalNetworks(force: false);

    protected override void OnPublished(CaptureStatistics pcap)
    {
        var traffic = _accountant.Latest!;
        _latest = new CaptureSnapshot(traffic.MonotonicMicros, traffic.Entries, traffic.Decode, pcap, traffic.Evictions, traffic.Overflows);
    }

    /// <summary>
    /// The capture interfaces' own addresses are local; they change (PPPoE, DHCP), so they are read again when a
    /// capture opens and every few seconds, and the classifier is only told when the set really changed.
    /// </summary>
    private void RefreshLocalNetworks(bool force)
    {
        var now = Time.GetTimestamp();
        if (!force && now < _nextAddressRefresh)
            return;
        _nextAddressRefresh = now + (long)(AddressRefresh.TotalSeconds * Time.TimestampFrequency);
        var current = LocalNetworks();
        if (!current.Networks.SequenceEqual(_classifier.LocalNetworks.Networks))
            _classifier.SetLocalNetworks(current);
    }

    private NetworkSet LocalNetworks() => new(_configuredLocal.Concat(InterfaceAddresses.Of(_captureInterfaces)));
}
