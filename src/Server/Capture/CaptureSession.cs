using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Conntrack;
using RoutingFlow.Capture.Decoding;
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
public sealed partial class CaptureSession : CaptureThread
{
    private volatile int _ifIndex; // the interface's ifindex when this capture opened it (0: not open)
    private long _reopens;
    private readonly IReadOnlyList<IpNetwork> _configuredLocal;
    private readonly IReadOnlyList<string> _captureInterfaces;
    private readonly InterfaceWatcher _interfaces;
    private readonly WanAccountant _accountant;
    private readonly IPacketConsumer[] _configured;
    private readonly IpClassifier _classifier;
    private long _addressVersion = -1;
    private volatile ConsumerList _consumers;
    private volatile CaptureSnapshot? _latest;
    private readonly Kernel.KernelPrograms? _programs; // the kernel counts this capture's hosts (the eBPF backend)
    private readonly Kernel.KernelHostFeed? _kernelHosts;
    private int _kernelIfindex;
    private readonly bool _packetAnalysis;
    private DecodeCounters _kernelFrames;
    private (long Packets, long Bytes) _kernelTotals;

    public CaptureSession(CaptureSpec spec, CaptureOptions options, RouterLayout layout, NicMapHolder mapping, InterfaceWatcher interfaces,
        TimeProvider time, ILogger logger, IEnumerable<ICaptureConsumerFactory>? consumers = null, ConnectionAttribution? connections = null,
        Kernel.KernelPrograms? programs = null)
        : base(spec.Interface, options, time, logger)
    {
        _packetAnalysis = options.PacketAnalysis;
        // With conntrack attribution the host and WAN of a frame come from its connection (its 5-tuple, and the NAT
        // behind it); the kernel's host map has addresses only. So where frames are read, they count the hosts.
        if (programs is { Running: true } && !(connections is not null && _packetAnalysis))
            (_programs, _kernelHosts) = (programs, new Kernel.KernelHostFeed(programs));
        BackendNote = programs is not { Running: true } || connections is null ? null
            : _programs is null ? ConntrackCountsFrames : KernelCountsByMapping;
        Spec = spec;
        _interfaces = interfaces;
        _configuredLocal = layout.LocalNetworks;
        _captureInterfaces = layout.Captures.Select(c => c.Interface).ToList();
        _classifier = new IpClassifier(LocalNetworks());
        var wanNic = spec.Nic is null ? TrafficKey.NoNic : mapping.Current.IndexOf(spec.Nic) ?? TrafficKey.NoNic;
        _accountant = new WanAccountant(spec.Role, wanNic, _classifier, mapping, options.MaxTrackedIps, options.IdleTimeout, connections, countHosts: _programs is null);
        _mapping = mapping;
        _wanNic = wanNic;
        var context = new CaptureContext(spec, wanNic, _classifier, mapping) { Connections = connections };
        _configured = [_accountant, .. (consumers ?? []).Select(f => f.Create(context)).OfType<IPacketConsumer>()];
        _consumers = new ConsumerList(_configured);
    }

    public CaptureSpec Spec { get; }

    private readonly NicMapHolder _mapping;
    private readonly byte _wanNic;

    /// <summary>What counts this capture's hosts: <c>ebpf</c> (the kernel's programs; libpcap still feeds TCP health and protocol inspection) or <c>pcap</c>.</summary>
    public string Backend => _programs is null ? "pcap" : "ebpf";

    public const string ConntrackCountsFrames = "hosts counted from the frames (pcap): conntrack attribution takes each connection's host and WAN from its ports and NAT, which the kernel's host map does not have";

    public const string KernelCountsByMapping = "hosts counted by the kernel and attributed by the mapping alone: conntrack attribution needs the frames (Capture:PacketAnalysis=true)";

    /// <summary>Why this capture's hosts are counted as they are, when that is not the backend's plain choice (null: it is).</summary>
    public string? BackendNote { get; }

    /// <summary>Why the kernel does not count this capture's hosts although it should (null: it does, or pcap counts them).</summary>
    public string? KernelError { get; private set; }

    public CaptureSnapshot? Latest => _latest;

    /// <summary>The ifindex the capture opened (null before it opened): a re-created interface is reopened under its new one.</summary>
    public int? IfIndex => _ifIndex == 0 ? null : _ifIndex;

    /// <summary>How often the interface was opened again under another ifindex (deleted and re-created, or renamed).</summary>
    public long Reopens => Interlocked.Read(ref _reopens);

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
        State.ToString().ToLowerInvariant(), Error ?? KernelError, _latest?.Decode.Packets ?? 0, _latest?.Drops ?? 0);

    protected override void OnOpened(LiveCapture capture)
    {
        NoteIfIndex();
        RefreshLocalNetworks(force: true);
        if (_programs is not null)
            AttachKernel(capture.LinkType == 1 ? 14 : 0); // libpcap presents lo as Ethernet too
    }

    protected override void OnPublishing()
    {
        CheckSameInterface();
        RefreshLocalNetworks(force: false);
        if (_kernelHosts is not null && _kernelIfindex > 0)
            _kernelHosts.Feed(_accountant.Table, _kernelIfindex, NicOf, Time.GetUtcNow().ToUnixTimeMilliseconds() * 1000);
    }

    /// <summary>Takes this capture's host role off the kernel's programs (the server stops).</summary>
    public void ReleaseKernel()
    {
        if (_programs is not null && _kernelIfindex > 0)
            _programs.Release(_kernelIfindex, HostRole);
        _kernelIfindex = 0;
    }

    private RoutingFlow.Capture.Kernel.KernelCounting HostRole =>
        Spec.Role == CaptureRole.Wan ? RoutingFlow.Capture.Kernel.KernelCounting.WanHosts : RoutingFlow.Capture.Kernel.KernelCounting.LanHosts;

    /// <summary>The kernel counts this interface's hosts under its current ifindex (a re-created interface gets a new one).</summary>
    private void AttachKernel(int networkOffset)
    {
        if (!_interfaces.Refresh().IfIndexes.TryGetValue(Spec.Interface, out var ifindex))
            return;
        if (ifindex != _kernelIfindex)
        {
            ReleaseKernel();
            _kernelHosts!.Reset();
            _kernelTotals = default;
        }
        _programs!.SetLocalNetworks(_classifier.LocalNetworks.Networks);
        KernelError = _programs.Attach(ifindex, veth: false, networkOffset, HostRole);
        _kernelIfindex = KernelError is null ? ifindex : 0;
    }

    /// <summary>The WAN a local host's traffic is on: the interface's own on a WAN capture, the mapping's on a LAN one.</summary>
    private byte NicOf(IpAddr host)
    {
        if (Spec.Role == CaptureRole.Wan)
            return _wanNic;
        _classifier.Classify(host, _mapping.Current, out _, out var nic);
        return nic;
    }

    protected override void OnPublished(CaptureStatistics pcap)
    {
        var traffic = _accountant.Latest!;
        var frames = CapturesFrames ? traffic.Decode : KernelFrames();
        _latest = new CaptureSnapshot(traffic.MonotonicMicros, traffic.Entries, frames, pcap, traffic.Evictions, traffic.Overflows, traffic.Attribution);
    }

    /// <summary>The kernel counts the hosts and no frame comes to user space (<c>Capture:PacketAnalysis=false</c>).</summary>
    protected override bool CapturesFrames => _programs is null || _packetAnalysis;

    protected override void OnOpenedWithoutCapture()
    {
        NoteIfIndex();
        RefreshLocalNetworks(force: true);
        var type = File.ReadAllText(Path.Combine("/sys/class/net", Spec.Interface, "type")).Trim();
        AttachKernel(RoutingFlow.Capture.Kernel.BpfCounters.NetworkOffset(int.TryParse(type, out var arphrd) ? arphrd : 1));
        if (KernelError is { } error)
            throw new CaptureSourceException(error);
    }

    /// <summary>The frames the kernel counted on the interface (its totals' growth: they restart when a device attach resets them).</summary>
    private DecodeCounters KernelFrames()
    {
        if (_programs is null || _kernelIfindex == 0)
            return _kernelFrames;
        var totals = _programs.Totals(_kernelIfindex);
        var now = (totals.Packets, totals.Bytes);
        var grew = now.Packets >= _kernelTotals.Packets ? (now.Packets - _kernelTotals.Packets, now.Bytes - _kernelTotals.Bytes) : now;
        (_kernelFrames.Packets, _kernelFrames.Bytes) = (_kernelFrames.Packets + grew.Item1, _kernelFrames.Bytes + grew.Item2);
        _kernelTotals = now;
        return _kernelFrames;
    }

    /// <summary>The ifindex just opened; a different one than before is said in the log (the counters go on from where they were).</summary>
    private void NoteIfIndex()
    {
        var previous = _ifIndex;
        _ifIndex = Devices.DeviceInfo.IfIndexOf(Spec.Interface) ?? 0;
        if (previous != 0 && _ifIndex != 0 && previous != _ifIndex)
        {
            Interlocked.Increment(ref _reopens);
            LogReopened(Logger, Spec.Interface, _ifIndex, previous);
        }
    }

    /// <summary>
    /// The name still names the interface the capture opened: deleted and re-created, or renamed away (and perhaps
    /// another renamed to it), it does not, and the capture is opened again under the name's new ifindex after
    /// <c>Capture:RetryInterval</c> (a packet socket stays bound to the old ifindex, and libpcap does not always say).
    /// </summary>
    private void CheckSameInterface()
    {
        if (_ifIndex == 0)
            return;
        var now = Devices.DeviceInfo.IfIndexOf(Spec.Interface);
        if (now == _ifIndex)
            return;
        throw new CaptureSourceException(now is null
            ? $"interface '{Spec.Interface}' is gone (deleted or renamed; it had ifindex {_ifIndex}): captured again when it is back"
            : $"interface '{Spec.Interface}' was re-created (ifindex {_ifIndex}, now {now}): opened again under its new ifindex");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Capture on {Interface} opened again under ifindex {IfIndex} (was {Previous}); its counts go on")]
    private static partial void LogReopened(ILogger logger, string @interface, int ifIndex, int previous);

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
        {
            _classifier.SetLocalNetworks(current);
            _programs?.SetLocalNetworks(current.Networks); // added, never removed: an address the interface lost stays local until a restart
        }
    }

    private NetworkSet LocalNetworks(InterfaceSnapshot? snapshot = null) =>
        new(_configuredLocal.Concat((snapshot ?? _interfaces.Current).AddressesOf(_captureInterfaces)));
}
