using System.Buffers.Binary;

namespace RoutingFlow.Capture.Decoding;

/// <summary>
/// The fields of a TLS ClientHello and ServerHello body (after the 4-byte handshake header) the inspection reads:
/// RFC 8446 §4.1.2–4.1.3, the server_name extension (RFC 6066 §3) and supported_versions (§4.2.1). GREASE values
/// (RFC 8701) are skipped. Reads only what was captured; every length is checked against it. A version is reported
/// only when certain: from supported_versions, or from the legacy field once every extension was captured without
/// one; otherwise 0 ("unknown": the snap length cut the hello short).
/// </summary>
public static class TlsHello
{
    private const ushort ServerName = 0, SupportedVersions = 43;

    public static bool TryReadClient(ReadOnlySpan<byte> body, out ushort offered, out int nameStart, out int nameLength)
    {
        offered = 0;
        nameStart = nameLength = 0;
        // legacy_version(2) random(32) session_id<0..32> cipher_suites<2..> compression_methods<1..> extensions<..>
        if (body.Length < 35)
            return false;
        var legacy = BinaryPrimitives.ReadUInt16BigEndian(body);
        var i = 34;
        if (!Skip(body, ref i, 1) || !Skip(body, ref i, 2) || !Skip(body, ref i, 1) || i + 2 > body.Length)
            return true; // the hello is there; its extensions were not captured: which versions it offers is unknown
        var declared = i + 2 + BinaryPrimitives.ReadUInt16BigEndian(body[i..]);
        var end = Math.Min(body.Length, declared);
        var sawVersions = false;
        i += 2;
        while (i + 4 <= end)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(body[i..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(body[(i + 2)..]);
            var data = body[(i + 4)..Math.Min(end, i + 4 + length)];
            if (type == ServerName)
                ReadServerName(data, i + 4, ref nameStart, ref nameLength);
            else if (type == SupportedVersions && i + 4 + length <= end && data.Length >= 1)
                (offered, sawVersions) = (Highest(data[1..Math.Min(data.Length, 1 + data[0])]), true);
            i += 4 + length;
        }
        if (!sawVersions && declared <= body.Length)
            offered = legacy; // every extension was captured and none lists versions: the legacy field is the offer
        return true;
    }

    /// <param name="declaredBody">The body's length as its handshake header declares it.</param>
    public static bool TryReadServer(ReadOnlySpan<byte> body, int declaredBody, out ushort chosen)
    {
        chosen = 0;
        // legacy_version(2) random(32) session_id<0..32> cipher_suite(2) compression(1) extensions<..>
        if (body.Length < 35)
            return false;
        var legacy = BinaryPrimitives.ReadUInt16BigEndian(body);
        var i = 34;
        if (!Skip(body, ref i, 1) || i + 3 > body.Length)
            return true; // which version it chose is unknown
        i += 3;
        if (i == body.Length && body.Length == declaredBody)
        {
            chosen = legacy; // a hello without extensions (TLS 1.2 and before)
            return true;
        }
        if (i + 2 > body.Length)
            return true;
        var declared = i + 2 + BinaryPrimitives.ReadUInt16BigEndian(body[i..]);
        var end = Math.Min(body.Length, declared);
        i += 2;
        while (i + 4 <= end)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(body[i..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(body[(i + 2)..]);
            if (type == SupportedVersions && length == 2 && i + 6 <= end)
            {
                chosen = BinaryPrimitives.ReadUInt16BigEndian(body[(i + 4)..]);
                return true;
            }
            i += 4 + length;
        }
        if (declared <= body.Length)
            chosen = legacy; // every extension was captured and none chose a version: the legacy field did
        return true;
    }

    /// <summary>The name of the first host_name entry of a server_name list.</summary>
    private static void ReadServerName(ReadOnlySpan<byte> data, int offset, ref int start, ref int length)
    {
        // server_name_list<1..>: name_type(1) host_name<1..2^16-1>
        if (data.Length < 5 || data[2] != 0)
            return;
        var n = BinaryPrimitives.ReadUInt16BigEndian(data[3..]);
        if (n == 0 || 5 + n > data.Length)
            return;
        start = offset + 5;
        length = n;
    }

    private static ushort Highest(ReadOnlySpan<byte> versions)
    {
        ushort highest = 0;
        for (var i = 0; i + 1 < versions.Length; i += 2)
        {
            var v = BinaryPrimitives.ReadUInt16BigEndian(versions[i..]);
            if ((v & 0x0F0F) != 0x0A0A && v > highest && v <= 0x0304)
                highest = v;
        }
        return highest;
    }

    /// <summary>Steps over a vector with a length prefix of <paramref name="prefix"/> bytes; false when it runs past the data.</summary>
    private static bool Skip(ReadOnlySpan<byte> body, ref int i, int prefix)
    {
        if (i + prefix > body.Length)
            return false;
        var length = prefix == 1 ? body[i] : BinaryPrimitives.ReadUInt16BigEndian(body[i..]);
        i += prefix + length;
        return i <= body.Length;
    }

    /// <summary>"TLS 1.3", "TLS 1.2" … for a wire version; SSL 3.0 as such, others in hex ("0x7f1c").</summary>
    public static string Name(ushort version) => version switch
    {
        0x0304 => "TLS 1.3",
        0x0303 => "TLS 1.2",
        0x0302 => "TLS 1.1",
        0x0301 => "TLS 1.0",
        0x0300 => "SSL 3.0",
        0 => "unknown",
        _ => $"0x{version:x4}",
    };
}
