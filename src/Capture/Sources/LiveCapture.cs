using SharpPcap;
using SharpPcap.LibPcap;

namespace RoutingFlow.Capture.Sources;

/// <summary>
/// A live libpcap handle on one interface, read without allocating through <see cref="PcapRecordReader"/>.
/// Opening failures become a <see cref="CaptureSourceException"/> that says what is wrong and how to fix it.
/// </summary>
public sealed class LiveCapture : IDisposable
{
    private readonly LibPcapLiveDevice _device;
    private readonly int _fd;
    private PcapCounter _received;
    private PcapCounter _dropped;
    private PcapCounter _interfaceDropped;

    private LiveCapture(LibPcapLiveDevice device)
    {
        _device = device;
        LinkType = LibpcapNative.PcapDatalink(device.Handle.DangerousGetHandle()) is >= 0 and var linkType ? linkType : (int)device.LinkType;
        _fd = LibpcapNative.PcapGetSelectableFd(device.Handle.DangerousGetHandle());
    }

    public string Interface => _device.Name;

    public int LinkType { get; }

    public static LiveCapture Open(string interfaceName, LiveCaptureSettings settings)
    {
        var device = Find(interfaceName);
        try
        {
            device.Open(new DeviceConfiguration
            {
                Snaplen = settings.SnapLength,
                BufferSize = settings.BufferSize,
                Mode = settings.Promiscuous ? DeviceModes.Promiscuous : DeviceModes.None,
                ReadTimeout = (int)settings.ReadTimeout.TotalMilliseconds,
            });
        }
        catch (PcapException e)
        {
            throw new CaptureSourceException(Explain(interfaceName, e), e);
        }
        if (settings.Cooked)
            Cook(device, interfaceName);
        return ApplyFilter(new LiveCapture(device), settings.Filter);
    }

    /// <summary>Switches the handle to Linux cooked frames: SLL2 (libpcap 1.10 and later), else SLL.</summary>
    private static void Cook(LibPcapLiveDevice device, string interfaceName)
    {
        var handle = device.Handle.DangerousGetHandle();
        if (LibpcapNative.PcapSetDatalink(handle, Decoding.LinkType.LinuxSll2) || LibpcapNative.PcapSetDatalink(handle, Decoding.LinkType.LinuxSll))
            return;
        device.Close();
        throw new CaptureSourceException($"cannot capture '{interfaceName}' as Linux cooked frames (pcap_set_datalink refused SLL2 and SLL); " +
            "the packet direction is not available on it");
    }

    /// <summary>
    /// Reads what the kernel ring holds (up to the batch's capacity), decoded; see <see cref="PcapBatchReader.Fill"/>.
    /// Returns <see cref="PcapReadResult.Timeout"/> with an empty batch when nothing arrived within
    /// <paramref name="wait"/>, so that the caller keeps publishing and can stop on an idle interface.
    /// </summary>
    public PcapReadResult Fill(PacketBatch batch, TimeSpan wait)
    {
        if (!LibcPoll.WaitReadable(_fd, (int)wait.TotalMilliseconds))
        {
            batch.Clear();
            return PcapReadResult.Timeout;
        }
        return PcapBatchReader.Fill(_device, batch);
    }

    public string LastError => _device.LastError;

    /// <summary>
    /// Replaces the kernel filter of the open handle (libpcap filters the frames already in the ring with the new one
    /// in user space, so frames the new filter also passes are not lost). Null or blank passes everything.
    /// </summary>
    public void SetFilter(string? filter)
    {
        try
        {
            _device.Filter = string.IsNullOrWhiteSpace(filter) ? "" : filter;
        }
        catch (PcapException e)
        {
            throw new CaptureSourceException($"'{filter}' is not a valid BPF filter: {e.Message}", e);
        }
    }

    /// <summary>
    /// libpcap's counts since the handle opened: frames the filter passed, frames the kernel dropped because the ring
    /// was full, frames the interface dropped. libpcap keeps them in 32 bits, which wrap after about six hours at
    /// 200,000 frames/s; each read adds the difference since the last one, so the totals keep counting (read at least
    /// once per wrap: the capture reads them every second).
    /// </summary>
    public CaptureStatistics Statistics()
    {
        if (!LibpcapNative.PcapStats(_device.Handle.DangerousGetHandle(), out var stats))
        {
            var portable = _device.Statistics; // no raw libpcap entry point: SharpPcap's (on 64-bit, drops read as 0)
            stats = new LibpcapNative.PcapStat { Received = portable.ReceivedPackets, Dropped = portable.DroppedPackets, InterfaceDropped = portable.InterfaceDroppedPackets };
        }
        return new CaptureStatistics(_received.Add(stats.Received), _dropped.Add(stats.Dropped), _interfaceDropped.Add(stats.InterfaceDropped));
    }

    /// <summary>A 32-bit counter read now and then, widened to 64 bits across its wraps.</summary>
    internal struct PcapCounter
    {
        private uint _last;
        private long _total;

        public long Add(uint raw)
        {
            _total += unchecked(raw - _last);
            _last = raw;
            return _total;
        }
    }

    public void Dispose() => _device.Close();

    private static LibPcapLiveDevice Find(string interfaceName)
    {
        LibPcapLiveDeviceList devices;
        try
        {
            devices = LibPcapLiveDeviceList.New();
        }
        catch (Exception e) when (LibpcapGuard.IsMissing(e))
        {
            throw LibpcapGuard.Missing(e);
        }
        return devices.FirstOrDefault(d => d.Name == interfaceName)
            ?? throw new CaptureSourceException(
                $"interface '{interfaceName}' does not exist (available: {string.Join(", ", devices.Select(d => d.Name))}); " +
                "fix RoutingFlow:Capture:Interfaces or nic.json");
    }

    private static LiveCapture ApplyFilter(LiveCapture capture, string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
            return capture;
        try
        {
            capture._device.Filter = filter;
            return capture;
        }
        catch (PcapException e)
        {
            capture.Dispose();
            throw new CaptureSourceException($"RoutingFlow:Capture:Filter '{filter}' is not a valid BPF filter: {e.Message}", e);
        }
    }

    private static string Explain(string interfaceName, PcapException e) => e.Error switch
    {
        PcapError.PermissionDenied or PcapError.PromiscuousPermissionDenied =>
            $"permission denied capturing on '{interfaceName}': run as root, or grant the capabilities once with " +
            $"setcap cap_net_raw,cap_net_admin+eip {Environment.ProcessPath}",
        PcapError.NoSuchDevice => $"interface '{interfaceName}' does not exist (it may have been removed)",
        PcapError.InterfaceNotUp => $"interface '{interfaceName}' is down (ip link set {interfaceName} up)",
        _ => $"cannot capture on '{interfaceName}': {e.Message}",
    };
}
