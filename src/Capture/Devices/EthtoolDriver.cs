using System.Runtime.InteropServices;
using System.Text;
using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Capture.Devices;

/// <summary>
/// A network device's driver name as <c>ethtool -i</c> shows it (<c>SIOCETHTOOL</c>, <c>ETHTOOL_GDRVINFO</c>): a veth's
/// is <c>veth</c>, the same word <c>ip -d link</c> prints as its link kind — read in-process, without starting a
/// command per device (a child process per attach also left a pipe behind until the runtime finalized it).
/// </summary>
public static unsafe class EthtoolDriver
{
    private const int AfInet = 2;
    private const int SockDgram = 2;
    private const int SockCloexec = 0x80000;
    private const nuint SiocEthtool = 0x8946;
    private const uint GetDriverInfo = 0x3;
    private static readonly delegate* unmanaged<int, int, int, int> Socket = (delegate* unmanaged<int, int, int, int>)Libc.Export("socket");
    private static readonly delegate* unmanaged<int, nuint, void*, int> Ioctl = (delegate* unmanaged<int, nuint, void*, int>)Libc.Export("ioctl");
    private static readonly delegate* unmanaged<int, int> Close = (delegate* unmanaged<int, int>)Libc.Export("close");

    /// <summary>The driver of <paramref name="interfaceName"/>, or null when the device has none, does not exist, or the call is unavailable.</summary>
    public static string? Of(string interfaceName)
    {
        var name = Encoding.ASCII.GetBytes(interfaceName);
        if (Socket == null || Ioctl == null || Close == null || name.Length is 0 or > 15)
            return null;
        var fd = Socket(AfInet, SockDgram | SockCloexec, 0);
        if (fd < 0)
            return null;
        try
        {
            var info = new DriverInfo { Command = GetDriverInfo };
            var request = new InterfaceRequest { Data = &info };
            name.CopyTo(new Span<byte>(request.Name, 16));
            if (Ioctl(fd, SiocEthtool, &request) != 0)
                return null;
            var driver = new ReadOnlySpan<byte>(info.Driver, 32);
            var end = driver.IndexOf((byte)0);
            return Encoding.ASCII.GetString(end < 0 ? driver : driver[..end]);
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary><c>struct ifreq</c> with <c>ifr_data</c>: 16 bytes of name, then a 24-byte union.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 40)]
    private struct InterfaceRequest
    {
        public fixed byte Name[16];
        public DriverInfo* Data;
    }

    /// <summary><c>struct ethtool_drvinfo</c> (196 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 196)]
    private struct DriverInfo
    {
        public uint Command;
        public fixed byte Driver[32];
        public fixed byte Rest[160];
    }
}
