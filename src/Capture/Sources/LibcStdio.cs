namespace RoutingFlow.Capture.Sources;

/// <summary>
/// glibc's stdio knobs for the <c>FILE</c> libpcap reads a capture file through: libpcap makes two <c>fread</c>
/// calls per frame, each taking the stream's lock, through a 4 KiB buffer (one <c>read</c> system call per ~25
/// frames). A single reader needs no lock (<c>__fsetlocking</c>) and a larger buffer (<c>setvbuf</c>). Where the
/// entry points are missing (musl, macOS) nothing changes.
/// </summary>
internal static unsafe class LibcStdio
{
    private const int FsetlockingBycaller = 2;
    private const int FullyBuffered = 0; // _IOFBF
    private static readonly delegate* unmanaged<nint, int, int> SetLocking = (delegate* unmanaged<nint, int, int>)Libc.Export("__fsetlocking");
    private static readonly delegate* unmanaged<nint, nint, int, nuint, int> SetVBuf = (delegate* unmanaged<nint, nint, int, nuint, int>)Libc.Export("setvbuf");
    private static readonly delegate* unmanaged<nint, nint> PcapFile = (delegate* unmanaged<nint, nint>)LibpcapNative.Export("pcap_file");
    private static readonly delegate* unmanaged<nint, long> Tell = (delegate* unmanaged<nint, long>)Libc.Export("ftello");

    /// <summary>How far libpcap has read the capture file, in bytes; -1 when it cannot be told.</summary>
    public static long Position(nint pcapHandle)
    {
        if (Tell == null || PcapFile == null || !Environment.Is64BitProcess)
            return -1;
        var file = PcapFile(pcapHandle);
        return file == 0 ? -1 : Tell(file);
    }

    /// <summary>
    /// Makes the capture's stream lock-free and buffered by <paramref name="buffer"/>, which must outlive the
    /// stream. Returns false (and changes nothing) when it cannot.
    /// </summary>
    public static bool TuneForOneReader(nint pcapHandle, void* buffer, nuint size)
    {
        if (SetLocking == null || SetVBuf == null || PcapFile == null)
            return false;
        var file = PcapFile(pcapHandle);
        if (file == 0)
            return false;
        SetLocking(file, FsetlockingBycaller);
        return SetVBuf(file, (nint)buffer, FullyBuffered, size) == 0;
    }
}
