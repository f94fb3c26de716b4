using System.Runtime.InteropServices;
using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Capture.Conntrack;

/// <summary>A netlink socket as the conntrack reader uses it: send a request, receive one datagram with a bound on the wait.</summary>
public interface INetlinkSocket : IDisposable
{
    /// <summary>0, or a negative errno.</summary>
    int Send(ReadOnlySpan<byte> message);

    /// <summary>The datagram's length; 0 when nothing came within <paramref name="timeoutMilliseconds"/>; a negative errno on failure (<c>-ENOBUFS</c>: events were lost).</summary>
    int Receive(Span<byte> buffer, int timeoutMilliseconds);
}

/// <summary>Opens netlink sockets; a fake in unit tests.</summary>
public interface INetlinkSocketFactory
{
    /// <summary>A socket of <paramref name="protocol"/> subscribed to the multicast <paramref name="groups"/>; throws <see cref="NetlinkException"/> when it cannot.</summary>
    INetlinkSocket Open(int protocol, uint groups, int receiveBufferBytes);
}

/// <summary>A netlink call failed with <see cref="Errno"/>.</summary>
public sealed class NetlinkException(string operation, int errno)
    : Exception($"{operation}: {NetlinkErrors.Describe(errno)}")
{
    public string Operation { get; } = operation;

    public int Errno { get; } = errno;
}

/// <summary>The real socket: <c>socket(AF_NETLINK, SOCK_RAW, protocol)</c> through glibc, polled with a bound so that a stop is noticed.</summary>
public sealed unsafe class NetlinkSocket : INetlinkSocket
{
    public const int NetlinkRoute = 0;
    public const int NetlinkNetfilter = 12;
    private const int AfNetlink = 16, SockRaw = 3, SockCloexec = 0x80000;
    private const int SolSocket = 1, SoRcvbuf = 8, SoRcvbufforce = 33, SolNetlink = 270, NetlinkExtAck = 11;
    private const int MsgDontwait = 0x40;
    private static readonly delegate* unmanaged<int, int, int, int> SocketCall = (delegate* unmanaged<int, int, int, int>)Libc.Export("socket");
    private static readonly delegate* unmanaged<int, void*, uint, int> Bind = (delegate* unmanaged<int, void*, uint, int>)Libc.Export("bind");
    private static readonly delegate* unmanaged<int, int, int, void*, uint, int> SetSockOpt = (delegate* unmanaged<int, int, int, void*, uint, int>)Libc.Export("setsockopt");
    private static readonly delegate* unmanaged<int, void*, nuint, int, nint> SendCall = (delegate* unmanaged<int, void*, nuint, int, nint>)Libc.Export("send");
    private static readonly delegate* unmanaged<int, void*, nuint, int, nint> Recv = (delegate* unmanaged<int, void*, nuint, int, nint>)Libc.Export("recv");
    private static readonly delegate* unmanaged<int, int> Close = (delegate* unmanaged<int, int>)Libc.Export("close");
    private int _fd;

    private NetlinkSocket(int fd) => _fd = fd;

    public static INetlinkSocketFactory Factory { get; } = new RealFactory();

    public static NetlinkSocket Open(int protocol, uint groups, int receiveBufferBytes)
    {
        if (SocketCall == null || Bind == null || Recv == null)
            throw new NetlinkException("socket", 38); // ENOSYS: not glibc
        var fd = SocketCall(AfNetlink, SockRaw | SockCloexec, protocol);
        if (fd < 0)
            throw new NetlinkException("socket(AF_NETLINK)", Marshal.GetLastSystemError());
        var socket = new NetlinkSocket(fd);
        try
        {
            var size = receiveBufferBytes;
            if (SetSockOpt(fd, SolSocket, SoRcvbufforce, &size, 4) != 0)
                SetSockOpt(fd, SolSocket, SoRcvbuf, &size, 4); // without CAP_NET_ADMIN: up to net.core.rmem_max
            var one = 1;
            SetSockOpt(fd, SolNetlink, NetlinkExtAck, &one, 4);
            var address = new SockaddrNl { Family = AfNetlink, Groups = groups };
            if (Bind(fd, &address, (uint)sizeof(SockaddrNl)) != 0)
                throw new NetlinkException(groups == 0 ? "bind" : "subscribing to conntrack events", Marshal.GetLastSystemError());
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public int Send(ReadOnlySpan<byte> message)
    {
        fixed (byte* p = message)
        {
            var sent = SendCall(_fd, p, (nuint)message.Length, 0);
            return sent < 0 ? -Marshal.GetLastSystemError() : 0;
        }
    }

    public int Receive(Span<byte> buffer, int timeoutMilliseconds)
    {
        if (!LibcPoll.WaitReadable(_fd, timeoutMilliseconds))
            return 0;
        fixed (byte* p = buffer)
        {
            var read = Recv(_fd, p, (nuint)buffer.Length, MsgDontwait);
            if (read >= 0)
                return (int)read;
            var errno = Marshal.GetLastSystemError();
            return errno == 11 ? 0 : -errno; // EAGAIN: woken for nothing
        }
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
            Close(fd);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SockaddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint Pid;
        public uint Groups;
    }

    private sealed class RealFactory : INetlinkSocketFactory
    {
        public INetlinkSocket Open(int protocol, uint groups, int receiveBufferBytes) => NetlinkSocket.Open(protocol, groups, receiveBufferBytes);
    }
}

/// <summary>errno values a netlink reader meets, in words.</summary>
public static class NetlinkErrors
{
    public const int Eperm = 1, Enoent = 2, Eacces = 13, Einval = 22, Enobufs = 105, Eopnotsupp = 95, Eafnosupport = 97, Eprotonosupport = 93;

    public static string Describe(int errno) => errno switch
    {
        Eperm => "operation not permitted (EPERM)",
        Eacces => "permission denied (EACCES)",
        Enoent => "no such entry (ENOENT)",
        Enobufs => "events lost, receive buffer full (ENOBUFS)",
        Eopnotsupp => "not supported by the kernel (EOPNOTSUPP)",
        Eafnosupport => "address family not supported (EAFNOSUPPORT)",
        Eprotonosupport => "protocol not supported (EPROTONOSUPPORT)",
        _ => $"errno {errno}",
    };
}
