using System.Runtime.InteropServices;

namespace RoutingFlow.Capture.Sources;

/// <summary>
/// <c>pcap_next_ex</c> as a raw function pointer, called on the handle SharpPcap opened: SharpPcap's own import
/// goes through a SafeHandle (reference counting on every call), which costs more than the read itself.
/// </summary>
internal static unsafe class LibpcapNative
{
    private static readonly string[] Names = ["libpcap.so.0.8", "libpcap.so.1", "libpcap.so", "libpcap.dylib"];
    private static readonly delegate* unmanaged<nint, nint*, nint*, int> NextEx = Load();

    public static bool Available => NextEx != null;

    public static int PcapNextEx(nint handle, nint* header, nint* data) => NextEx(handle, header, data);

    private static delegate* unmanaged<nint, nint*, nint*, int> Load()
    {
        foreach (var name in Names)
        {
            if (NativeLibrary.TryLoad(name, out var library) && NativeLibrary.TryGetExport(library, "pcap_next_ex", out var export))
                return (delegate* unmanaged<nint, nint*, nint*, int>)export;
        }
        return null;
    }
}
