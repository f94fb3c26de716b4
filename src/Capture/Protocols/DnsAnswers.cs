using System.Buffers.Binary;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Protocols;

/// <summary>
/// The A and AAAA answers of a DNS response, read in place from the captured bytes (RFC 1035 §4.1.3, RFC 3596): each
/// address with its TTL, named by the first question (the name the user asked for, not the end of a CNAME chain).
/// Answers past the captured bytes are left out. No allocation.
/// </summary>
public ref struct DnsAnswers
{
    private readonly ReadOnlySpan<byte> _message;
    private int _offset;
    private int _left;

    /// <summary>Starts at the first answer; false when the question does not fit in what was captured.</summary>
    public DnsAnswers(ReadOnlySpan<byte> message, in DnsHeader header, out bool readable)
    {
        _message = message;
        _left = header.Answers;
        _offset = DnsReader.HeaderLength;
        readable = header.Questions == 1 && SkipName(message, ref _offset) && (_offset += 4) <= message.Length;
        if (!readable)
            _left = 0;
    }

    /// <summary>The first question's name in dotted form (lower case, no trailing dot) into <paramref name="name"/>; its length, or 0.</summary>
    public static int QuestionName(ReadOnlySpan<byte> message, Span<char> name)
    {
        var i = DnsReader.HeaderLength;
        var n = 0;
        for (var labels = 0; labels < 128 && i < message.Length; labels++)
        {
            var length = message[i];
            if (length == 0)
                return n;
            if ((length & 0xC0) != 0 || i + 1 + length > message.Length || n + 1 > name.Length)
                return 0;
            if (n > 0)
                name[n++] = '.';
            if (!HostNames.TryAppendLower(message.Slice(i + 1, length), name, ref n))
                return 0; // not a host name the page could show as is
            i += 1 + length;
        }
        return 0;
    }

    /// <summary>The next A or AAAA answer; false when there are no more within the captured bytes.</summary>
    public bool Next(out IpAddr address, out uint ttl)
    {
        address = default;
        ttl = 0;
        while (_left-- > 0)
        {
            var i = _offset;
            if (!SkipName(_message, ref i) || i + 10 > _message.Length)
                return false;
            var type = BinaryPrimitives.ReadUInt16BigEndian(_message[i..]);
            var cls = BinaryPrimitives.ReadUInt16BigEndian(_message[(i + 2)..]);
            ttl = BinaryPrimitives.ReadUInt32BigEndian(_message[(i + 4)..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(_message[(i + 8)..]);
            _offset = i + 10 + length;
            if (_offset > _message.Length)
                return false;
            var data = _message.Slice(i + 10, length);
            if (cls == 1 && type == 1 && length == 4)
                address = IpAddr.ReadV4(data);
            else if (cls == 1 && type == 28 && length == 16)
                address = IpAddr.ReadV6(data);
            else
                continue;
            return true;
        }
        return false;
    }

    private static bool SkipName(ReadOnlySpan<byte> message, ref int i)
    {
        for (var labels = 0; labels < 128; labels++)
        {
            if (i >= message.Length)
                return false;
            var length = message[i];
            if (length == 0)
            {
                i++;
                return true;
            }
            if ((length & 0xC0) == 0xC0)
            {
                i += 2;
                return i <= message.Length;
            }
            if ((length & 0xC0) != 0)
                return false;
            i += 1 + length;
        }
        return false;
    }
}
