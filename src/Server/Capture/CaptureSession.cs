using System.Diagnostics;
using System.Net;
using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Web.Traffic;

namespace RoutingFlow.Server.Capture;

/// <summary>
/// One interface's capture on its own thread: reads frames, accounts them, and publishes a snapshot every
/// <see cref="PublishInterval"/>. A failure (missing interface, permission, libpcap) is reported in
/// <see cref="Error"/> and retried every <c>RetryInterval</c>; the rest of the server is unaffected.
/// </summary>
public sealed partial class CaptureSession : IDisposable
{
    public static readonly TimeSpan PublishInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AddressRefresh = TimeSpan.FromSeconds(10);

    // libpcap's read timeout; on Linux also the TPACKET_V3 block-retire timeout: a frame waits at most this long in a
    // partly filled block before the capture sees it.
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromMilliseconds(100);

    // How long the capture thread waits in poll(2) for a block before it publishes and checks for a stop request
    // anyway. Reading only after poll says ready also matters under load: reading straight into a blocking
    // pcap_dispatch lost 3-31% of a burst (scripts/bench-drops.sh), neither received nor counted as dropped.
    private static readonly TimeSpan PollWait = TimeSpan.FromMilliseconds(250);
    private readonly CaptureOptions _options;
    private readonly IReadOnlyList<IpNetwork> _configuredLocal;
    private readonly IReadOnlyList<string> _captureInterfaces;
    private readonly NicMapHolder _mapping;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ManualResetEventSlim _stop = new();
    private readonly WanAccountant _accountant;
    private readonly ConsumerList _consumers;
    private readonly IpClassifier _classifier;
    private CaptureStatistics _pcapBase;
    private CaptureStatistics _pcapCurrent;
    private Thread? _thread;
    private long _nextAddressRefresh;
    private volatile CaptureSnapshot? _latest;
    private volatile string? _error;
    private volatile CaptureState _state = CaptureState.Stopped;

    public CaptureSession(CaptureSpec spec, RoutingFlowSettings settings, NicMapHolder mapping, TimeProvider time, ILogger logger,
        IEnumerable<ICaptureConsumerFactory>? consumers = null)
    {
        Spec = spec;
        _options = settings.Options.Capture;
        _configuredLocal = settings.LocalNetworks;
        _captureInterfaces = settings.Captures.Select(c => c.Interface).ToList();
        _mapping = mapping;
        _time = time;
        _logger = logger;
        _classifier = new IpClassifier(LocalNetworks());
        var wanNic = spec.Nic is null ? TrafficKey.NoNic : mapping.Current.IndexOf(spec.Nic) ?? TrafficKey.NoNic;
        _accountant = new WanAccountant(spec.Role, wanNic, _classifier, mapping, _options.MaxTrackedIps, _options.IdleTimeout);
        var context = new CaptureContext(spec, wanNic, _classifier, mapping);
        _consumers = new ConsumerList([_accountant, .. (consumers ?? []).Select(f => f.Create(context)).OfType<IPacketConsumer>()]);
    }

    public CaptureSpec Spec { get; }

    public CaptureState State => _state;

    public string? Error => _error;

    public CaptureSnapshot? Latest => _latest;

    /// <summary>Every consumer of this capture's frames, the WAN accounting first.</summary>
    public IReadOnlyList<IPacketConsumer> Consumers => _consumers.Consumers;

    /// <summary>The session as the dashboard and /status name it: lower-case role and state, latest counts.</summary>
    public CaptureInfo Describe() => new(Spec.Interface, Spec.Role.ToString().ToLowerInvariant(), Spec.Nic,
        State.ToString().ToLowerInvariant(), Error, _latest?.Decode.Packets ?? 0, _latest?.Drops ?? 0);

    public void Start()
    {
        _state = CaptureState.Starting;
        _thread = new Thread(Run) { IsBackground = true, Name = $"capture {Spec.Interface}" };
        _thread.Start();
    }

    public void Stop()
    {
        _stop.Set();
        _thread?.Join(TimeSpan.FromSeconds(5));
        _state = CaptureState.Stopped;
    }

    public void Dispose()
    {
        Stop();
        if (_thread is null || !_thread.IsAlive)
            _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.IsSet)
        {
            try
            {
                if (Spec.Interface == NicDeclaration.Auto)
                    throw new CaptureSourceException("nic.json puts a WAN on interface 'auto' but this machine has no default route; name the interface in nic.json");
                using var capture = LiveCapture.Open(Spec.Interface, Settings());
                OnOpened(capture);
                ReadUntilStopped(capture);
            }
            catch (CaptureSourceException e)
            {
                OnFailed(e.Message);
            }
            catch (Exception e) when (LibpcapGuard.IsMissing(e))
            {
                OnFailed(LibpcapGuard.MissingMessage);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                OnFailed($"capture on '{Spec.Interface}' failed: {e.Message}"); // never take the server down
            }
            if (!_stop.IsSet)
                _stop.Wait(_options.RetryInterval);
        }
        _state = CaptureState.Stopped;
    }

    private void ReadUntilStopped(LiveCapture capture)
    {
        var nextPublish = Stopwatch.GetTimestamp();
        var batch = new PacketBatch(capture.LinkType);
        while (!_stop.IsSet)
        {
            var result = capture.Fill(batch, PollWait);
            _consumers.Consume(batch.Packets); // frames read before an error count too
            if (result == PcapReadResult.Error)
                throw new CaptureSourceException($"capture on '{Spec.Interface}' stopped: {capture.LastError}");
            if (Stopwatch.GetTimestamp() >= nextPublish)
            {
                Publish(capture);
                nextPublish = Stopwatch.GetTimestamp() + (long)(PublishInterval.TotalSeconds * Stopwatch.Frequency);
            }
        }
        Publish(capture);
    }

    private void Publish(LiveCapture capture)
    {
        RefreshLocalNetworks(force: false);
        var wallMicros = _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        var monotonicMicros = (long)(_time.GetTimestamp() * (1e6 / _time.TimestampFrequency));
        _consumers.Publish(new PublishTime(wallMicros, monotonicMicros));
        _pcapCurrent = capture.Statistics();
        var pcap = new CaptureStatistics(_pcapBase.Received + _pcapCurrent.Received, _pcapBase.Dropped + _pcapCurrent.Dropped,
            _pcapBase.InterfaceDropped + _pcapCurrent.InterfaceDropped);
        var traffic = _accountant.Latest!;
        _latest = new CaptureSnapshot(traffic.MonotonicMicros, traffic.Entries, traffic.Decode, pcap, traffic.Evictions, traffic.Overflows);
    }

    /// <summary>
    /// The capture interfaces' own addresses are local; they change (PPPoE, DHCP), so they are read again when a
    /// capture opens and every few seconds, and the classifier is only told when the set really changed.
    /// </summary>
    private void RefreshLocalNetworks(bool force)
    {
        var now = _time.GetTimestamp();
        if (!force && now < _nextAddressRefresh)
            return;
        _nextAddressRefresh = now + (long)(AddressRefresh.TotalSeconds * _time.TimestampFrequency);
        var current = LocalNetworks();
        if (!current.Networks.SequenceEqual(_classifier.LocalNetworks.Networks))
            _classifier.SetLocalNetworks(current);
    }

    private NetworkSet LocalNetworks() => new(_configuredLocal.Concat(InterfaceAddresses.Of(_captureInterfaces)));

    private void OnOpened(LiveCapture capture)
    {
        RefreshLocalNetworks(force: true);
        _pcapBase = new CaptureStatistics(_pcapBase.Received + _pcapCurrent.Received, _pcapBase.Dropped + _pcapCurrent.Dropped,
            _pcapBase.InterfaceDropped + _pcapCurrent.InterfaceDropped);
        _pcapCurrent = default;
        if (_error is not null)
            LogRecovered(_logger, Spec.Interface);
        _error = null;
        _state = CaptureState.Running;
        LogStarted(_logger, Spec.Interface, Spec.Role, capture.LinkType);
    }

    private void OnFailed(string message)
    {
        if (_error != message)
            LogFailed(_logger, Spec.Interface, message, _options.RetryInterval);
        _error = message;
        _state = CaptureState.Failed;
    }

    private LiveCaptureSettings Settings() => new(_options.SnapLength, _options.BufferSize, _options.Filter,
        _options.Promiscuous, ReadTimeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Capturing on {Interface} (role {Role}, link type {LinkType})")]
    private static partial void LogStarted(ILogger logger, string @interface, CaptureRole role, int linkType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Capture on {Interface} failed: {Reason}. Retrying every {Retry}")]
    private static partial void LogFailed(ILogger logger, string @interface, string reason, TimeSpan retry);

    [LoggerMessage(Level = LogLevel.Information, Message = "Capture on {Interface} recovered")]
    private static partial void LogRecovered(ILogger logger, string @interface);
}
