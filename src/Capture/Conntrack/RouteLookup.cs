using System.Runtime.InteropServices;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Conntrack;

/// <summary>The kernel's output interface for a connection's packets: from its source, to its destination, with its firewall mark.</summary>
public interface IRouteLookup
{
    bool TryGetOutputInterface(IpAddr source, IpAddr destination, uint mark, out int ifIndex);
}

/// <summary>
/// <c>ip route get DESTINATION from SOURCE iif LAN mark MARK</c> in-process: <c>RTM_GETROUTE</c> requests over
/// rtnetlink, answered with the route's <c>RTA_OIF</c>. The lookup is the one the kernel makes when it forwards the
/// connection's first packet, so that policy rules by source (<c>ip rule from</c>) and by mark both count: the input
/// interface is first found as the route back to the source (the LAN interface; for the router's own address, the
/// lookup is an output one from that address). Answers (found or not) are cached per source, destination and mark
/// for <see cref="Ttl"/>, at most <see cref="MaxCached"/> (then the cache starts over).
/// Not thread-safe: the conntrack reader's thread only.
/// <code>
/// struct rtmsg { u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags; }
/// RTA_DST (1), RTA_SRC (2): the address; RTA_IIF (3), RTA_OIF (4): u32 ifindex; RTA_MARK (16): u32 mark   (host order)
/// </code>
/// </summary>
public sealed class RtnetlinkRoutes(INetlinkSocketFactory sockets, TimeProvider time) : IRouteLookup, IDisposable
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(1);
    public const int MaxCached = 65_536;
    private const ushort GetRoute = 26, NewRoute = 24;
    private const ushort RtaDst = 1, RtaSrc = 2, RtaIif = 3, RtaOif = 4, RtaMark = 16;
    private const byte RouteTypeLocal = 2;
    private readonly Dictionary<(IpAddr, IpAddr, uint), (int IfIndex, long Expires)> _cache = [];
    private readonly byte[] _buffer = new byte[8192];
    private INetlinkSocket? _socket;
    private uint _sequence;

    /// <summary>Route requests sent to the kernel (cache misses).</summary>
    public long Requests { get; private set; }

    /// <summary>The last failure to ask the kernel, if any.</summary>
    public string? LastError { get; private set; }

    public bool TryGetOutputInterface(IpAddr source, IpAddr destination, uint mark, out int ifIndex)
    {
        var now = time.GetTimestamp();
        if (_cache.TryGetValue((source, destination, mark), out var cached) && cached.Expires > now)
        {
            ifIndex = cached.IfIndex;
            return ifIndex > 0;
        }
        var (towardSource, sourceIsLocal) = Ask(source, default, 0, 0);
        ifIndex = towardSource <= 0 ? 0 : Ask(destination, source, mark, sourceIsLocal ? 0 : towardSource).IfIndex;
        if (_cache.Count >= MaxCached)
            _cache.Clear();
        _cache[(source, destination, mark)] = (ifIndex, now + (long)(Ttl.TotalSeconds * time.TimestampFrequency));
        return ifIndex > 0;
    }

    public void Dispose() => _socket?.Dispose();

    /// <summary>The output interface (0: none) of the route to <paramref name="destination"/>, and whether that route is a local one (an address of the router).</summary>
    private (int IfIndex, bool Local) Ask(IpAddr destination, IpAddr source, uint mark, int inputIfIndex)
    {
        try
        {
            _socket ??= sockets.Open(NetlinkSocket.NetlinkRoute, 0, 1 << 20);
        }
        catch (NetlinkException e)
        {
            LastError = e.Message;
            return (0, false);
        }
        Requests++;
        var sequence = ++_sequence;
        var length = Write(_buffer, destination, source, mark, inputIfIndex, sequence);
        var sent = _socket.Send(_buffer.AsSpan(0, length));
        if (sent < 0)
        {
            LastError = "route request: " + NetlinkErrors.Describe(-sent);
            return (0, false);
        }
        return Read(sequence);
    }

    private (int, bool) Read(uint sequence)
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var received = _socket!.Receive(_buffer, 1000);
            if (received <= 0)
                return (0, false);
            var offset = 0;
            while (Netlink.TryNext(_buffer.AsSpan(0, received), ref offset, out var header, out var payload))
            {
                if (header.Sequence != sequence)
                    continue; // a late answer to an earlier request
                return header.Type == NewRoute ? OutputInterface(payload) : (0, false); // NLMSG_ERROR: no route
            }
        }
        return (0, false);
    }

    private static (int, bool) OutputInterface(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 12)
            return (0, false);
        var local = payload[7] == RouteTypeLocal;
        var attributes = payload[12..];
        var offset = 0;
        while (Netlink.TryNextAttribute(attributes, ref offset, out var type, out var value))
        {
            if (type == RtaOif && value.Length >= 4)
                return (MemoryMarshal.Read<int>(value), local);
        }
        return (0, false);
    }

    /// <summary>An RTM_GETROUTE for <paramref name="destination"/>; with a source (not default) and an input interface (not 0) when given.</summary>
    internal static int Write(Span<byte> buffer, IpAddr destination, IpAddr source, uint mark, int inputIfIndex, uint sequence)
    {
        buffer[..128].Clear();
        var header = Netlink.HeaderLength;
        var withSource = source != default;
        buffer[header] = (byte)(destination.IsV6 ? 10 : 2);
        buffer[header + 1] = (byte)destination.Bits;
        buffer[header + 2] = (byte)(withSource ? source.Bits : 0);
        var offset = header + 12;
        offset = WriteAddress(buffer, offset, RtaDst, destination);
        if (withSource)
            offset = WriteAddress(buffer, offset, RtaSrc, source);
        if (inputIfIndex > 0)
            offset = WriteInt(buffer, offset, RtaIif, (uint)inputIfIndex);
        if (mark != 0)
            offset = WriteInt(buffer, offset, RtaMark, mark);
        Netlink.WriteHeader(buffer, offset, GetRoute, Netlink.FlagRequest, sequence);
        return offset;
    }

    private static int WriteAddress(Span<byte> buffer, int offset, ushort type, IpAddr address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.ToIPAddress().TryWriteBytes(bytes, out var written);
        return Netlink.WriteAttribute(buffer, offset, type, bytes[..written]);
    }

    private static int WriteInt(Span<byte> buffer, int offset, ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        MemoryMarshal.Write(bytes, value);
        return Netlink.WriteAttribute(buffer, offset, type, bytes);
    }
}
