using System.Buffers.Binary;
using System.Text;
using PacketDotNet;

namespace RoutingFlow.Testing.Frames;

/// <summary>DNS messages as bytes (header and one question), and the UDP/IP packets that carry them.</summary>
public static class DnsMessages
{
    public static byte[] Message(ushort id, bool response, string name, ushort type, byte rcode = 0)
    {
        var question = new List<byte>();
        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            question.Add((byte)label.Length);
            question.AddRange(Encoding.ASCII.GetBytes(label));
        }
        question.Add(0);
        var message = new byte[12 + question.Count + 4];
        BinaryPrimitives.WriteUInt16BigEndian(message, id);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)((response ? 0x8180 : 0x0100) | rcode));
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), 1);
        question.CopyTo(message, 12);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(12 + question.Count), type);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(14 + question.Count), 1);
        return message;
    }

    /// <summary>A NOERROR response to an A/AAAA question with one answer per address (each named by a pointer to the question).</summary>
    public static byte[] Answer(ushort id, string name, params (string Address, uint Ttl)[] answers)
    {
        var message = new List<byte>(Message(id, true, name, answers.Length > 0 && answers[0].Address.Contains(':') ? (ushort)28 : (ushort)1));
        message[7] = (byte)answers.Length;
        foreach (var (address, ttl) in answers)
        {
            var bytes = System.Net.IPAddress.Parse(address).GetAddressBytes();
            message.AddRange([0xC0, 12, 0, bytes.Length == 4 ? (byte)1 : (byte)28, 0, 1, (byte)(ttl >> 24), (byte)(ttl >> 16), (byte)(ttl >> 8), (byte)ttl, 0, (byte)bytes.Length]);
            message.AddRange(bytes);
        }
        return [.. message];
    }

    /// <summary>A query from client:port to server:53 as a raw IP packet.</summary>
    public static byte[] Query(string client, string server, ushort port, ushort id, string name = "a.lab.test", ushort type = 1) =>
        FrameBuilder.Ip(client, server, new UdpPacket(port, 53) { PayloadData = Message(id, false, name, type) });

    public static byte[] Response(string server, string client, ushort port, ushort id, string name = "a.lab.test", ushort type = 1, byte rcode = 0) =>
        FrameBuilder.Ip(server, client, new UdpPacket(53, port) { PayloadData = Message(id, true, name, type, rcode) });
}
