using System.Runtime.InteropServices;

namespace RoutingFlow.Capture.Conntrack;

/// <summary>
/// Netlink framing, read in place. A buffer holds messages one after another, each 4-byte aligned:
/// <code>
/// struct nlmsghdr { u32 len; u16 type; u16 flags; u32 seq; u32 pid; }   (host byte order, len includes the header)
/// struct nlattr   { u16 len; u16 type; }                                 (len includes the 4-byte header; type's top two bits are flags)
/// </code>
/// </summary>
public static class Netlink
{
    public const int HeaderLength = 16;
    public const ushort Noop = 1;
    public const ushort Error = 2;
    public const ushort Done = 3;
    public const ushort Overrun = 4;
    public const ushort FlagRequest = 0x1;
    public const ushort FlagMulti = 0x2;
    public const ushort FlagAck = 0x4;
    public const ushort FlagDump = 0x300;
    public const ushort FlagExcl = 0x200;
    public const ushort FlagCreate = 0x400;
    private const ushort AttributeTypeMask = 0x3FFF;

    public static int Align(int length) => (length + 3) & ~3;

    /// <summary>The message at <paramref name="offset"/> and where the next starts; false at the end or on a truncated or bad length.</summary>
    public static bool TryNext(ReadOnlySpan<byte> buffer, ref int offset, out NetlinkHeader header, out ReadOnlySpan<byte> payload)
    {
        header = default;
        payload = default;
        if (buffer.Length - offset < HeaderLength)
            return false;
        var length = MemoryMarshal.Read<int>(buffer[offset..]);
        if (length < HeaderLength || length > buffer.Length - offset)
            return false;
        header = new NetlinkHeader(MemoryMarshal.Read<ushort>(buffer[(offset + 4)..]), MemoryMarshal.Read<ushort>(buffer[(offset + 6)..]),
            MemoryMarshal.Read<uint>(buffer[(offset + 8)..]));
        payload = buffer.Slice(offset + HeaderLength, length - HeaderLength);
        offset += Math.Min(Align(length), buffer.Length - offset);
        return true;
    }

    /// <summary>The attribute at <paramref name="offset"/> (type without its flag bits); false at the end or on a bad length.</summary>
    public static bool TryNextAttribute(ReadOnlySpan<byte> attributes, ref int offset, out ushort type, out ReadOnlySpan<byte> value)
    {
        type = 0;
        value = default;
        if (attributes.Length - offset < 4)
            return false;
        int length = MemoryMarshal.Read<ushort>(attributes[offset..]);
        if (length < 4 || length > attributes.Length - offset)
            return false;
        type = (ushort)(MemoryMarshal.Read<ushort>(attributes[(offset + 2)..]) & AttributeTypeMask);
        value = attributes.Slice(offset + 4, length - 4);
        offset += Math.Min(Align(length), attributes.Length - offset);
        return true;
    }

    /// <summary>An <c>NLMSG_ERROR</c>'s code: 0 for an acknowledgement, else a negative errno.</summary>
    public static int ErrorCode(ReadOnlySpan<byte> payload) => payload.Length >= 4 ? MemoryMarshal.Read<int>(payload) : -22;

    /// <summary>Writes a message header at the start of <paramref name="buffer"/>.</summary>
    public static void WriteHeader(Span<byte> buffer, int length, ushort type, ushort flags, uint sequence)
    {
        MemoryMarshal.Write(buffer, length);
        MemoryMarshal.Write(buffer[4..], type);
        MemoryMarshal.Write(buffer[6..], flags);
        MemoryMarshal.Write(buffer[8..], sequence);
        MemoryMarshal.Write(buffer[12..], 0u);
    }

    /// <summary>Writes an attribute at <paramref name="offset"/> and returns the aligned offset after it.</summary>
    public static int WriteAttribute(Span<byte> buffer, int offset, ushort type, ReadOnlySpan<byte> value)
    {
        MemoryMarshal.Write(buffer[offset..], (ushort)(4 + value.Length));
        MemoryMarshal.Write(buffer[(offset + 2)..], type);
        value.CopyTo(buffer[(offset + 4)..]);
        var end = offset + Align(4 + value.Length);
        buffer[(offset + 4 + value.Length)..end].Clear();
        return end;
    }
}

/// <summary>The fields of an <c>nlmsghdr</c> a reader needs.</summary>
public readonly record struct NetlinkHeader(ushort Type, ushort Flags, uint Sequence);
