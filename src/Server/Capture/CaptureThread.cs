using System.Diagnostics;
using System.Runtime.CompilerServices;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Server.Capture;

/// <summary>
/// The read loop every capture shares, on its own thread: open the interface, fill a batch (one decode per frame),
/// hand it to the consumers, publish about once a second; on a failure (missing interface, permission, libpcap) report
/// it in <see cref="Error"/> and retry every <c>RetryInterval</c>, the rest of the server unaffected. Subclasses say
/// what the consumers are and what a publication adds (the WAN accounting's snapshot, a device's counters). Started
/// once and stopped once; <see cref="StopAsync"/> waits for the thread off the caller's.
/// </summary>
public abstract partial class CaptureThread : IDisposable
{
    public static readonly TimeSpan PublishInterval = TimeSpan.FromSeconds(1);

    // libpcap's read timeout; on Linux also the TPACKET_V3 block-retire timeout: a frame waits at most this long in a
    // partly filled block before the capture sees it.
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromMilliseconds(100);

    // How long the capture thread waits in poll(2) for a block before it publishes and checks for a stop request
    // anyway. Reading only after poll says ready also matters under load: reading straight into a blocking
    // pcap_dispatch lost 3-31% of a burst (scripts/bench-drops.sh), neither received nor counted as dropped.
    private static readonly TimeSpan PollWait = TimeSpan.FromMilliseconds(250);
    private readonly CaptureOptions _options;
    private readonly bool _cooked;
    private readonly ManualResetEventSlim _stop = new();
    private CaptureStatistics _pcapBase;
    private CaptureStatistics _pcapCurrent;
    private Thread? _thread;
    private volatile string? _error;
    private volatile StrongBox<CaptureStatistics>? _statistics;
    private volatile CaptureState _state = CaptureState.Stopped;

    protected CaptureThread(string interfaceName, CaptureOptions options, TimeProvider time, ILogger logger, bool cooked = false)
    {
        Interface = interfaceName;
        _options = options;
        _cooked = cooked;
        Time = time;
        Logger = logger;
    }

    public string Interface { get; }

    /// <summary>The kernel ring this capture maps while it runs (<c>Capture:BufferSize</c>): resident once frames have filled it.</summary>
    public long RingBytes => _state == CaptureState.Running ? _options.BufferSize : 0;

    public CaptureState State => _state;

    public string? Error => _error;

    /// <summary>libpcap's counts (cumulative over reopenings) as of the last publication.</summary>
    public CaptureStatistics Statistics => _statistics?.Value ?? default;

    protected TimeProvider Time { get; }

    protected ILogger Logger { get; }

    /// <summary>The kernel filter; read once per batch, and set on the open handle when it changed (a new string).</summary>
    protected virtual string? Filter => _options.Filter;

    /// <summary>Who gets the frames; read once per batch, so a subclass may replace it (on the capture thread).</summary>
    protected abstract ConsumerList ConsumerList { get; }

    public void Start()
    {
        _state = CaptureState.Starting;
        _thread = new Thread(Run) { IsBackground = true, Name = $"capture {Interface}" };
        _thread.Start();
    }

    public void Stop()
    {
        _stop.Set();
        _thread?.Join(TimeSpan.FromSeconds(5));
        _state = CaptureState.Stopped;
    }

    /// <summary>Stops without blocking the caller (the capture thread can take up to a poll wait to notice).</summary>
    public Task StopAsync() => Task.Run(Dispose);

    public void Dispose()
    {
        Stop();
        if (_thread is null || !_thread.IsAlive)
            _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The capture opened (first or again): before any frame of it is read.</summary>
    protected virtual void OnOpened(LiveCapture capture)
    {
    }

    /// <summary>After the consumers published: what this capture adds, with libpcap's cumulative statistics.</summary>
    protected virtual void OnPublished(CaptureStatistics pcap)
    {
    }

    /// <summary>Before the consumers publish (a chance to refresh what they read).</summary>
    protected virtual void OnPublishing()
    {
    }

    /// <summary>False when the kernel counts everything and no frame is wanted: no libpcap handle is opened, and the thread only publishes once a second.</summary>
    protected virtual bool CapturesFrames => true;

    /// <summary>Without a capture (<see cref="CapturesFrames"/> false): the interface is there; start counting it. Throws <see cref="CaptureSourceException"/> when it cannot.</summary>
    protected virtual void OnOpenedWithoutCapture()
    {
    }

    private void Run()
    {
        while (!_stop.IsSet)
        {
            try
            {
                if (Interface == RoutingFlow.Capture.Mapping.NicDeclaration.Auto)
                    throw new CaptureSourceException("nic.json puts a WAN on interface 'auto' but this machine has no default route; name the interface in nic.json");
                if (!CapturesFrames)
                {
                    PublishUntilStopped();
                    continue;
                }
                var filter = Filter;
                using var capture = LiveCapture.Open(Interface, Settings(filter));
                Opened(capture);
                ReadUntilStopped(capture, filter);
            }
            catch (CaptureSourceException e)
            {
                Failed(e.Message);
            }
            catch (Exception e) when (LibpcapGuard.IsMissing(e))
            {
                Failed(LibpcapGuard.MissingMessage);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Failed($"capture on '{Interface}' failed: {e.Message}"); // never take the server down
            }
            if (!_stop.IsSet)
                _stop.Wait(_options.RetryInterval);
        }
        _state = CaptureState.Stopped;
    }

    /// <summary>No frames read: the counts come from elsewhere (the kernel), published once a second.</summary>
    private void PublishUntilStopped()
    {
        if (!Directory.Exists(Path.Combine("/sys/class/net", Interface)))
            throw new CaptureSourceException($"interface '{Interface}' does not exist; it is counted when it appears (retried every {_options.RetryInterval.TotalSeconds:0} s)");
        OnOpenedWithoutCapture();
        if (_error is not null)
            LogRecovered(Logger, Interface);
        _error = null;
        _state = CaptureState.Running;
        while (!_stop.Wait(PublishInterval))
        {
            if (!Directory.Exists(Path.Combine("/sys/class/net", Interface)))
                throw new CaptureSourceException($"interface '{Interface}' disappeared; it is counted again when it is back");
            PublishCounts();
        }
        PublishCounts();
    }

    private void PublishCounts()
    {
        OnPublishing();
        var wallMicros = Time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        var monotonicMicros = (long)(Time.GetTimestamp() * (1e6 / Time.TimestampFrequency));
        ConsumerList.Publish(new PublishTime(wallMicros, monotonicMicros));
        OnPublished(_statistics?.Value ?? default);
        Metrics.Publications.Note();
    }

    private void ReadUntilStopped(LiveCapture capture, string? filter)
    {
        var nextPublish = Stopwatch.GetTimestamp();
        var batch = new PacketBatch(capture.LinkType);
        while (!_stop.IsSet)
        {
            if (!ReferenceEquals(filter, Filter))
                capture.SetFilter(filter = Filter);
            var result = capture.Fill(batch, PollWait);
            ConsumerList.Consume(batch.Packets); // frames read before an error count too
            if (result == PcapReadResult.Error)
                throw new CaptureSourceException($"capture on '{Interface}' stopped: {capture.LastError}");
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
        OnPublishing();
        var wallMicros = Time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        var monotonicMicros = (long)(Time.GetTimestamp() * (1e6 / Time.TimestampFrequency));
        ConsumerList.Publish(new PublishTime(wallMicros, monotonicMicros));
        _pcapCurrent = capture.Statistics();
        var statistics = new CaptureStatistics(_pcapBase.Received + _pcapCurrent.Received, _pcapBase.Dropped + _pcapCurrent.Dropped,
            _pcapBase.InterfaceDropped + _pcapCurrent.InterfaceDropped);
        _statistics = new StrongBox<CaptureStatistics>(statistics);
        OnPublished(statistics);
        Metrics.Publications.Note();
    }

    private void Opened(LiveCapture capture)
    {
        _pcapBase = new CaptureStatistics(_pcapBase.Received + _pcapCurrent.Received, _pcapBase.Dropped + _pcapCurrent.Dropped,
            _pcapBase.InterfaceDropped + _pcapCurrent.InterfaceDropped);
        _pcapCurrent = default;
        OnOpened(capture);
        if (_error is not null)
            LogRecovered(Logger, Interface);
        _error = null;
        _state = CaptureState.Running;
        LogStarted(Logger, Interface, capture.LinkType);
    }

    private void Failed(string message)
    {
        if (_error != message)
            LogFailed(Logger, Interface, message, _options.RetryInterval);
        _error = message;
        _state = CaptureState.Failed;
    }

    private LiveCaptureSettings Settings(string? filter) => new(_options.SnapLength, _options.BufferSize, filter,
        _options.Promiscuous, ReadTimeout, _cooked);

    [LoggerMessage(Level = LogLevel.Information, Message = "Capturing on {Interface} (link type {LinkType})")]
    private static partial void LogStarted(ILogger logger, string @interface, int linkType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Capture on {Interface} failed: {Reason}. Retrying every {Retry}")]
    private static partial void LogFailed(ILogger logger, string @interface, string reason, TimeSpan retry);

    [LoggerMessage(Level = LogLevel.Information, Message = "Capture on {Interface} recovered")]
    private static partial void LogRecovered(ILogger logger, string @interface);
}
