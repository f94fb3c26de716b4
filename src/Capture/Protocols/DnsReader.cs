using System.Buffers.Binary;

namespace RoutingFlow.Capture.Protocols;

/// <summary>
/// A DNS message's header and first question, read in place (RFC 1035 §4.1): id, QR, opcode, rcode, counts, and the
/// question's type when its name fits in what was captured (compression pointers end a name). No allocation.
/// </summary>
public static class DnsReader
{
    public const int HeaderLength = 12;

    /// <summary>False when the bytes cannot be a DNS header (too short, or a question count of 0 on a query).</summary>
    public static bool TryRead(ReadOnlySpan<byte> message, out DnsHeader header)
    {
        header = default;
        if (message.Length < HeaderLength)
            return false;
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var response = (flags & 0x8000) != 0;
        var opcode = (flags >> 11) & 0xF;
        if (opcode > 6 || (!response && questions == 0 && opcode == 0))
            return false;
        header = new DnsHeader(BinaryPrimitives.ReadUInt16BigEndian(message), response, (byte)opcode, (byte)(flags & 0xF), questions,
            BinaryPrimitives.ReadUInt16BigEndian(message[6..]), questions > 0 ? QuestionType(message[HeaderLength..]) : (ushort)0);
        return true;
    }

    /// <summary>The first question's QTYPE; 0 when its name runs past the captured bytes or is not well formed.</summary>
    private static ushort QuestionType(ReadOnlySpan<byte> question)
    {
        var i = 0;
        for (var labels = 0; labels < 128; labels++)
        {
            if (i >= question.Length)
                return 0;
            var length = question[i];
            if (length == 0)
            {
                i++;
                break;
            }
            if ((length & 0xC0) == 0xC0)
            {
                i += 2;
                break;
            }
            if ((length & 0xC0) != 0)
                return 0;
            i += 1 + length;
        }
        return i + 2 <= question.Length ? BinaryPrimitives.ReadUInt16BigEndian(question[i..]) : (ushort)0;
    }
}

public readonly record struct DnsHeader(ushort Id, bool IsResponse, byte Opcode, byte Rcode, ushort Questions, ushort Answers, ushort QuestionType);

/// <summary>The record types and response codes counted by name; the rest are <c>other</c>. A fixed set: the labels are bounded.</summary>
public static class DnsNames
{
    public static readonly string[] Types = ["A", "AAAA", "CNAME", "MX", "TXT", "PTR", "NS", "SOA", "SRV", "HTTPS", "SVCB", "ANY", "other"];

    public static readonly string[] Rcodes = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "other"];

    public static int TypeIndex(ushort type) => type switch
    {
        1 => 0, 28 => 1, 5 => 2, 15 => 3, 16 => 4, 12 => 5, 2 => 6, 6 => 7, 33 => 8, 65 => 9, 64 => 10, 255 => 11, _ => 12,
    };

    public static int RcodeIndex(byte rcode) => rcode <= 5 ? rcode : 6;
}
