using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace RoutingFlow.Capture.Addressing;

/// <summary>
/// An IPv4 or IPv6 address held in two 64-bit words, so that it can be read from a packet,
/// hashed and compared without allocating. IPv4 lives in the low 32 bits of <see cref="Lo"/>.
/// </summary>
public readonly struct IpAddr : IEquatable<IpAddr>, IComparable<IpAddr>, IUtf8SpanFormattable
{
    private IpAddr(ulong hi, ulong lo, bool isV6)
    {
        Hi = hi;
        Lo = lo;
        IsV6 = isV6;
    }

    public ulong Hi { get; }

    public ulong Lo { get; }

    public bool IsV6 { get; }

    /// <summary>Width of the address in bits: 32 or 128.</summary>
    public int Bits => IsV6 ? 128 : 32;

    public static IpAddr FromV4(uint address) => new(0, address, false);

    public static IpAddr FromV6(ulong hi, ulong lo) => new(hi, lo, true);

    /// <summary>Reads four network-order bytes.</summary>
    public static IpAddr ReadV4(ReadOnlySpan<byte> bytes) => FromV4(BinaryPrimitives.ReadUInt32BigEndian(bytes));

    /// <summary>Reads sixteen network-order bytes.</summary>
    public static IpAddr ReadV6(ReadOnlySpan<byte> bytes) =>
        FromV6(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));

    public static IpAddr FromIPAddress(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4 ? ReadV4(bytes) : ReadV6(bytes);
    }

    /// <summary>Parses an IPv4 or IPv6 address (no scope); <see cref="FormatException"/> naming the text otherwise.</summary>
    public static IpAddr Parse(string text) => TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an IP address");

    public static bool TryParse([NotNullWhen(true)] string? text, out IpAddr address)
    {
        address = default;
        if (text is null || !IPAddress.TryParse(text, out var ip) || (ip.AddressFamily == AddressFamily.InterNetworkV6 && ip.ScopeId != 0))
            return false;
        address = FromIPAddress(ip);
        return true;
    }

    public IPAddress ToIPAddress()
    {
        if (!IsV6)
            return new IPAddress(BinaryPrimitives.ReverseEndianness((uint)Lo));
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, Hi);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], Lo);
        return new IPAddress(bytes);
    }

    /// <summary>This address with every bit past <paramref name="prefixLength"/> cleared.</summary>
    public IpAddr Mask(int prefixLength)
    {
        if (!IsV6)
            return FromV4(prefixLength == 0 ? 0u : (uint)Lo & (uint.MaxValue << (32 - prefixLength)));
        var hiMask = prefixLength >= 64 ? ulong.MaxValue : prefixLength == 0 ? 0 : ulong.MaxValue << (64 - prefixLength);
        var loMask = prefixLength <= 64 ? 0 : prefixLength == 128 ? ulong.MaxValue : ulong.MaxValue << (128 - prefixLength);
        return FromV6(Hi & hiMask, Lo & loMask);
    }

    /// <summary>A well-mixed hash (not randomised per process; tables bound their probe lengths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Hash64()
    {
        var h = (Hi * 0x9E3779B97F4A7C15UL) ^ Lo ^ (IsV6 ? 0x5bd1e995UL : 0UL);
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 29;
        return h;
    }

    public bool Equals(IpAddr other) => Lo == other.Lo && Hi == other.Hi && IsV6 == other.IsV6;

    public override bool Equals(object? obj) => obj is IpAddr other && Equals(other);

    public override int GetHashCode() => (int)Hash64();

    public int CompareTo(IpAddr other)
    {
        if (IsV6 != other.IsV6)
            return IsV6 ? 1 : -1;
        var byHi = Hi.CompareTo(other.Hi);
        return byHi != 0 ? byHi : Lo.CompareTo(other.Lo);
    }

    /// <summary>Longest text form: an IPv4-mapped IPv6 address written out in full.</summary>
    public const int MaxTextLength = 45;

    /// <summary>Dotted quad for IPv4 (formatted directly: reports list tens of thousands), RFC 5952 text for IPv6.</summary>
    public override string ToString()
    {
        if (IsV6)
            return ToIPAddress().ToString();
        Span<byte> text = stackalloc byte[MaxTextLength];
        return Encoding.ASCII.GetString(text[..FormatV4((uint)Lo, text)]);
    }

    /// <summary>The text of <see cref="ToString"/> as UTF-8, without allocating for IPv4.</summary>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (IsV6)
            return ToIPAddress().TryFormat(utf8Destination, out bytesWritten);
        if (utf8Destination.Length < 15)
        {
            Span<byte> text = stackalloc byte[15];
            var n = FormatV4((uint)Lo, text);
            bytesWritten = text[..n].TryCopyTo(utf8Destination) ? n : 0;
            return bytesWritten > 0;
        }
        bytesWritten = FormatV4((uint)Lo, utf8Destination);
        return true;
    }

    private static int FormatV4(uint address, Span<byte> text)
    {
        var n = 0;
        for (var shift = 24; shift >= 0; shift -= 8)
        {
            var octet = (address >> shift) & 0xFF;
            if (octet >= 100)
                text[n++] = (byte)('0' + octet / 100);
            if (octet >= 10)
                text[n++] = (byte)('0' + octet / 10 % 10);
            text[n++] = (byte)('0' + octet % 10);
            if (shift > 0)
                text[n++] = (byte)'.';
        }
        return n;
    }

    public static bool operator ==(IpAddr left, IpAddr right) => left.Equals(right);

    public static bool operator !=(IpAddr left, IpAddr right) => !left.Equals(right);

    public static bool operator <(IpAddr left, IpAddr right) => left.CompareTo(right) < 0;

    public static bool operator >(IpAddr left, IpAddr right) => left.CompareTo(right) > 0;

    public static bool operator <=(IpAddr left, IpAddr right) => left.CompareTo(right) <= 0;

    public static bool operator >=(IpAddr left, IpAddr right) => left.CompareTo(right) >= 0;
}
