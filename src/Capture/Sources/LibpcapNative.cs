using System.Runtime.InteropServices;

namespace RoutingFlow.Capture.Sources;

/// <summary>
/// <c>pcap_next_ex</c> and <c>pcap_dispatch</c> as raw function pointers, called on the handle SharpPcap opened:
/// SharpPcap's own imports go through a SafeHandle (reference counting on every call), which costs more than the
/// read itself, and SharpPcap offers no way to pass an unmanaged callback.
/// </summary>
internal static unsafe class LibpcapNative
{
    private static readonly string[] Names = ["libpcap.so.0.8", "libpcap.so.1", "libpcap.so", "libpcap.dylib"];
    private static readonly nint Library = Load();
    private static readonly delegate* unmanaged<nint, nint*, nint*, int> NextEx =
        (delegate* unmanaged<nint, nint*, nint*, int>)Export("pcap_next_ex");
    private static readonly delegate* unmanaged<nint, int, delegate* unmanaged[Cdecl]<nint, nint, nint, void>, nint, int> Dispatch =
        (delegate* unmanaged<nint, int, delegate* unmanaged[Cdecl]<nint, nint, nint, void>, nint, int>)Export("pcap_dispatch");
    private static readonly delegate* unmanaged<nint, int> SelectableFd = (delegate* unmanaged<nint, int>)Export("pcap_get_selectable_fd");
    private static readonly delegate* unmanaged<nint, int, int> SetDatalink = (delegate* unmanaged<nint, int, int>)Export("pcap_set_datalink");
    private static readonly delegate* unmanaged<nint, int> Datalink = (delegate* unmanaged<nint, int>)Export("pcap_datalink");
    private static readonly delegate* unmanaged<nint, PcapStat*, int> Stats = (delegate* unmanaged<nint, PcapStat*, int>)Export("pcap_stats");

    public static bool Available => NextEx != null;

    /// <summary>The descriptor to poll for a live handle; -1 when there is none (or libpcap cannot say).</summary>
    public static int PcapGetSelectableFd(nint handle) => SelectableFd == null ? -1 : SelectableFd(handle);

    public static bool DispatchAvailable => Dispatch != null;

    /// <summary><c>pcap_set_datalink</c>: true when the handle now delivers <paramref name="linkType"/>.</summary>
    public static bool PcapSetDatalink(nint handle, int linkType) => SetDatalink != null && SetDatalink(handle, linkType) == 0;

    /// <summary><c>pcap_datalink</c>: the link type the handle delivers now.</summary>
    public static int PcapDatalink(nint handle) => Datalink == null ? -1 : Datalink(handle);

    public static int PcapNextEx(nint handle, nint* header, nint* data) => NextEx(handle, header, data);

    public static bool StatsAvailable => Stats != null;

    /// <summary>
    /// <c>pcap_stats</c> into libpcap's own <c>struct pcap_stat</c> (three <c>u_int</c>s). SharpPcap 6.3 reads that
    /// struct as three pointer-sized fields, so on 64-bit Linux its <c>DroppedPackets</c> is <c>ps_ifdrop</c> and the
    /// kernel's ring drops (<c>ps_drop</c>) were never reported.
    /// </summary>
    public static bool PcapStats(nint handle, out PcapStat stat)
    {
        stat = default;
        fixed (PcapStat* p = &stat)
            return Stats != null && Stats(handle, p) == 0;
    }

    /// <summary><c>int pcap_dispatch(pcap_t *p, int cnt, pcap_handler callback, u_char *user)</c>.</summary>
    public static int PcapDispatch(nint handle, int count, delegate* unmanaged[Cdecl]<nint, nint, nint, void> callback, nint user) =>
        Dispatch(handle, count, callback, user);

    /// <summary>
    /// <c>struct pcap_stat</c>: received, dropped by the kernel (ring full), dropped by the interface; the fields after
    /// them exist only on Windows and are here so that no libpcap can write past the struct.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PcapStat
    {
        public uint Received;
        public uint Dropped;
        public uint InterfaceDropped;
        public uint Captured;
        public uint Sent;
        public uint NetDropped;
    }

    private static nint Load()
    {
        foreach (var name in Names)
        {
            if (NativeLibrary.TryLoad(name, out var library))
                return library;
        }
        return 0;
    }

    internal static nint Export(string name) =>
        Library != 0 && NativeLibrary.TryGetExport(Library, name, out var export) ? export : 0;
}
