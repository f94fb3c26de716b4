using System.Runtime.InteropServices;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Conntrack;

/// <summary>The kernel's output interface for a destination and firewall mark.</summary>
public interface IRouteLookup
{
    bool TryGetOutputInterface(IpAddr destination, uint mark, out int ifIndex);
}

/// <summary>
/// <c>ip route get DESTINATION mark MARK</c> in-process: an <c>RTM_GETROUTE</c> over rtnetlink, answered with the
/// route's <c>RTA_OIF</c>. Answers (found or not) are cached per destination and mark for <see cref="Ttl"/>, at most
/// <see cref="MaxCached"/> (then the cache starts over), so that a busy destination costs one request per TTL.
/// Not thread-safe: the conntrack reader's thread only.
/// <code>
/// struct rtmsg { u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags; }
/// RTA_DST (1): the address; RTA_OIF (4): u32 ifindex; RTA_MARK (16): u32 mark   (host order)
/// </code>
/// </summary>
public sealed class RtnetlinkRoutes(INetlinkSocketFactory sockets, TimeProvider time) : IRouteLookup, IDisposable
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);
    public const int MaxCached = 65_536;
    private const ushort GetRoute = 26, NewRoute = 24;
    private const ushort RtaDst = 1, RtaOif = 4, RtaMark = 16;
    private readonly Dictionary<(IpAddr, uint), (int IfIndex, long Expires)> _cache = [];
    private readonly byte[] _buffer = new byte[8192];
    private INetlinkSocket? _socket;
    private uint _sequence;

    /// <summary>Route requests sent to the kernel (cache misses).</summary>
    public long Requests { get; private set; }

    /// <summary>The last failure to ask the kernel, if any.</summary>
    public string? LastError { get; private set; }

    public bool TryGetOutputInterface(IpAddr destination, uint mark, out int ifIndex)
    {
        var now = time.GetTimestamp();
        if (_cache.TryGetValue((destination, mark), out var cached) && cached.Expires > now)
        {
            ifIndex = cached.IfIndex;
            return ifIndex > 0;
        }
        ifIndex = Ask(destination, mark);
        if (_cache.Count >= MaxCached)
            _cache.Clear();
        _cache[(destination, mark)] = (ifIndex, now + (long)(Ttl.TotalSeconds * time.TimestampFrequency));
        return ifIndex > 0;
    }

    public void Dispose() => _socket?.Dispose();

    private int Ask(IpAddr destination, uint mark)
    {
        try
        {
            _socket ??= sockets.Open(NetlinkSocket.NetlinkRoute, 0, 1 << 20);
        }
        catch (NetlinkException e)
        {
            LastError = e.Message;
            return 0;
        }
        Requests++;
        var sequence = ++_sequence;
        var length = Write(_buffer, destination, mark, sequence);
        var sent = _socket.Send(_buffer.AsSpan(0, length));
        if (sent < 0)
        {
            LastError = "route request: " + NetlinkErrors.Describe(-sent);
            return 0;
        }
        return Read(sequence);
    }

    private int Read(uint sequence)
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var received = _socket!.Receive(_buffer, 1000);
            if (received <= 0)
                return 0;
            var offset = 0;
            while (Netlink.TryNext(_buffer.AsSpan(0, received), ref offset, out var header, out var payload))
            {
                if (header.Sequence != sequence)
                    continue; // a late answer to an earlier request
                return header.Type == NewRoute ? OutputInterface(payload) : 0; // NLMSG_ERROR: no route
            }
        }
        return 0;
    }

    private static int OutputInterface(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 12)
            return 0;
        var attributes = payload[12..];
        var offset = 0;
        while (Netlink.TryNextAttribute(attributes, ref offset, out var type, out var value))
        {
            if (type == RtaOif && value.Length >= 4)
                return MemoryMarshal.Read<int>(value);
        }
        return 0;
    }

    internal static int Write(Span<byte> buffer, IpAddr destination, uint mark, uint sequence)
    {
        buffer[..64].Clear();
        var header = Netlink.HeaderLength;
        buffer[header] = (byte)(destination.IsV6 ? 10 : 2);
        buffer[header + 1] = (byte)destination.Bits;
        var offset = header + 12;
        Span<byte> address = stackalloc byte[16];
        var written = destination.IsV6 ? 16 : 4;
        destination.ToIPAddress().TryWriteBytes(address, out _);
        offset = Netlink.WriteAttribute(buffer, offset, RtaDst, address[..written]);
        Span<byte> markBytes = stackalloc byte[4];
        MemoryMarshal.Write(markBytes, mark);
        offset = Netlink.WriteAttribute(buffer, offset, RtaMark, markBytes);
        Netlink.WriteHeader(buffer, offset, GetRoute, Netlink.FlagRequest, sequence);
        return offset;
    }
}
