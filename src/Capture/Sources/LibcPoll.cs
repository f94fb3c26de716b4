using System.Runtime.InteropServices;

namespace RoutingFlow.Capture.Sources;

/// <summary>
/// <c>poll(2)</c> on a capture's selectable descriptor. With TPACKET_V3 a blocking <c>pcap_dispatch</c> on an idle
/// interface waits for the next frame however long that takes (the block timeout only runs once a block holds a
/// frame), so the capture thread waits here instead, with a bound, and reads only when the kernel has a block ready
/// (or libpcap still holds one, which also reads as ready).
/// </summary>
internal static unsafe class LibcPoll
{
    private const short PollIn = 0x001;
    private const short PollPri = 0x002;
    private static readonly delegate* unmanaged<PollFd*, nuint, int, int> Poll = (delegate* unmanaged<PollFd*, nuint, int, int>)Libc.Export("poll");

    /// <summary>False when nothing became readable within <paramref name="timeoutMilliseconds"/>; true otherwise (also on error, or when it cannot poll: the read will tell).</summary>
    public static bool WaitReadable(int fd, int timeoutMilliseconds)
    {
        if (fd < 0 || Poll == null)
            return true;
        var pollFd = new PollFd { Fd = fd, Events = PollIn | PollPri };
        return Poll(&pollFd, 1, timeoutMilliseconds) != 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
