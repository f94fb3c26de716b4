using System.Buffers.Binary;
using System.Text;
using PacketDotNet;

namespace RoutingFlow.Testing.Frames;

/// <summary>TLS hellos and HTTP/1.x lines as bytes (RFC 8446 §4.1.2–4.1.3), and the TCP/IP packets that carry them.</summary>
public static class AppMessages
{
    /// <summary>
    /// A ClientHello in its record: legacy version 1.2, a 32-byte session id, three cipher suites, then a GREASE
    /// extension, <paramref name="padding"/> bytes of padding before server_name when asked, and supported_versions.
    /// </summary>
    public static byte[] ClientHello(string? serverName, ushort[]? versions = null, int padding = 0)
    {
        var extensions = new List<byte>();
        Extension(extensions, 0x0A0A, []);
        if (padding > 0)
            Extension(extensions, 21, new byte[padding]);
        if (serverName is not null)
        {
            var name = Encoding.ASCII.GetBytes(serverName);
            var entry = new byte[5 + name.Length];
            BinaryPrimitives.WriteUInt16BigEndian(entry, (ushort)(3 + name.Length));
            entry[2] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(entry.AsSpan(3), (ushort)name.Length);
            name.CopyTo(entry, 5);
            Extension(extensions, 0, entry);
        }
        if (versions is not null)
        {
            var list = new byte[1 + (2 * versions.Length)];
            list[0] = (byte)(2 * versions.Length);
            for (var i = 0; i < versions.Length; i++)
                BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(1 + (2 * i)), versions[i]);
            Extension(extensions, 43, list);
        }
        var body = new List<byte> { 0x03, 0x03 };
        body.AddRange(new byte[32]);
        body.Add(32);
        body.AddRange(Enumerable.Repeat((byte)7, 32));
        body.AddRange([0, 6, 0x13, 0x01, 0x13, 0x02, 0xC0, 0x2F]);
        body.AddRange([1, 0]);
        body.AddRange([(byte)(extensions.Count >> 8), (byte)extensions.Count]);
        body.AddRange(extensions);
        return Record(1, body);
    }

    /// <summary>A ServerHello choosing <paramref name="version"/> (1.3 through supported_versions, as RFC 8446 has it).</summary>
    public static byte[] ServerHello(ushort version)
    {
        var body = new List<byte> { 0x03, 0x03 };
        body.AddRange(new byte[32]);
        body.Add(0);
        body.AddRange([0x13, 0x01, 0]);
        var extensions = new List<byte>();
        if (version == 0x0304)
            Extension(extensions, 43, [0x03, 0x04]);
        else
            body[1] = (byte)version;
        body.AddRange([(byte)(extensions.Count >> 8), (byte)extensions.Count]);
        body.AddRange(extensions);
        return Record(2, body);
    }

    public static byte[] Text(string text) => Encoding.ASCII.GetBytes(text);

    /// <summary>A TCP segment (ACK|PSH) carrying <paramref name="payload"/> from source:sport to destination:dport, as raw IP.</summary>
    public static byte[] Segment(string source, string destination, ushort sport, ushort dport, byte[] payload) =>
        FrameBuilder.Ip(source, destination, new TcpPacket(sport, dport) { Acknowledgment = true, Push = true, PayloadData = payload, WindowSize = 1000 });

    private static void Extension(List<byte> into, ushort type, byte[] data)
    {
        into.AddRange([(byte)(type >> 8), (byte)type, (byte)(data.Length >> 8), (byte)data.Length]);
        into.AddRange(data);
    }

    private static byte[] Record(byte handshakeType, List<byte> body)
    {
        var record = new byte[9 + body.Count];
        record[0] = 0x16;
        record[1] = 0x03;
        record[2] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(3), (ushort)(4 + body.Count));
        record[5] = handshakeType;
        record[6] = (byte)(body.Count >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(7), (ushort)body.Count);
        body.CopyTo(record, 9);
        return record;
    }
}
