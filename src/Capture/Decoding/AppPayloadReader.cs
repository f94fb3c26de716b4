using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace RoutingFlow.Capture.Decoding;

/// <summary>
/// Reads what is cheap and certain at the start of a TCP payload (RFC 8446 §4.1.2–4.1.3, RFC 9112 §3 and §4): a TLS
/// handshake record holding a ClientHello (highest version offered, server name) or a ServerHello (version chosen),
/// an HTTP/1.x request line (method, version) or status line (status, version). Only the captured bytes of the one
/// segment: a ClientHello whose server name lies in a later segment still counts, without its name. Anything that
/// does not parse is simply not a message (no exception, nothing allocated).
/// </summary>
public static class AppPayloadReader
{
    private const int MaxLine = 8192;

    /// <summary>The first-byte test every TCP segment with payload pays; the rest runs only when it passes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Read(ReadOnlySpan<byte> payload, ref DecodedPacket packet)
    {
        if (payload.Length < 6)
            return;
        var first = payload[0];
        if (first == 0x16 && payload[1] == 0x03)
            ReadTls(payload, ref packet);
        else if (first is (byte)'G' or (byte)'P' or (byte)'H' or (byte)'D' or (byte)'O' or (byte)'C' or (byte)'T')
            ReadHttp(payload, ref packet);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ReadTls(ReadOnlySpan<byte> record, ref DecodedPacket packet)
    {
        // record: type(1) version(2) length(2) | handshake: type(1) length(3) body
        if (record.Length < 9 || BinaryPrimitives.ReadUInt16BigEndian(record[3..]) < 4)
            return;
        var declared = (record[6] << 16) | BinaryPrimitives.ReadUInt16BigEndian(record[7..]);
        var body = record[9..Math.Min(record.Length, 9 + declared)]; // a TLS 1.2 ServerHello shares its record with the Certificate …
        switch (record[5])
        {
            case 1 when TlsHello.TryReadClient(body, out var offered, out var nameStart, out var nameLength):
                packet.App = new AppMessage(AppKind.TlsClientHello, offered, 0);
                var length = Math.Min(nameLength, PayloadPrefix.Length);
                body.Slice(nameStart, length).CopyTo(packet.Payload);
                packet.PayloadCaptured = length;
                break;
            case 2 when TlsHello.TryReadServer(body, declared, out var chosen):
                packet.App = new AppMessage(AppKind.TlsServerHello, chosen, 0);
                break;
            case 1 or 2:
                packet.App = new AppMessage(AppKind.TlsMalformed, 0, record[5]);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ReadHttp(ReadOnlySpan<byte> payload, ref DecodedPacket packet)
    {
        var end = payload[..Math.Min(payload.Length, MaxLine)].IndexOf((byte)'\n');
        if (end < 0)
            return;
        var line = payload[..end].TrimEnd((byte)'\r');
        if (line.StartsWith("HTTP/1."u8))
            StatusLine(line, ref packet);
        else
            RequestLine(line, ref packet);
    }

    // HTTP/1.x SP 3DIGIT SP reason
    private static void StatusLine(ReadOnlySpan<byte> line, ref DecodedPacket packet)
    {
        if (line.Length < 12 || line[8] != ' ' || !Version(line[..8], out var version))
            return;
        var code = 0;
        for (var i = 9; i < 12; i++)
        {
            if (!char.IsAsciiDigit((char)line[i]))
                return;
            code = (code * 10) + (line[i] - '0');
        }
        if (line.Length == 12 || line[12] == ' ')
            packet.App = new AppMessage(AppKind.HttpResponse, version, (ushort)code);
    }

    // method SP request-target SP HTTP/1.x (or the HTTP/2 preface "PRI * HTTP/2.0")
    private static void RequestLine(ReadOnlySpan<byte> line, ref DecodedPacket packet)
    {
        var space = line.IndexOf((byte)' ');
        var last = line.LastIndexOf((byte)' ');
        if (space <= 0 || last <= space + 1)
            return;
        var method = Method(line[..space]);
        if (method < 0)
            return;
        var versionText = line[(last + 1)..];
        if (method == HttpMethods.Preface)
        {
            if (versionText.SequenceEqual("HTTP/2.0"u8))
                packet.App = new AppMessage(AppKind.HttpRequest, AppMessage.Http2, (ushort)method);
            return;
        }
        if (Version(versionText, out var version))
            packet.App = new AppMessage(AppKind.HttpRequest, version, (ushort)method);
    }

    private static bool Version(ReadOnlySpan<byte> text, out ushort version)
    {
        version = text.SequenceEqual("HTTP/1.1"u8) ? AppMessage.Http11 : text.SequenceEqual("HTTP/1.0"u8) ? AppMessage.Http10 : (ushort)0;
        return version != 0;
    }

    private static int Method(ReadOnlySpan<byte> token)
    {
        for (var i = 0; i < HttpMethods.Names.Length; i++)
        {
            if (Ascii(token, HttpMethods.Names[i]))
                return i;
        }
        return -1;
    }

    private static bool Ascii(ReadOnlySpan<byte> bytes, string text)
    {
        if (bytes.Length != text.Length)
            return false;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != text[i])
                return false;
        }
        return true;
    }
}
