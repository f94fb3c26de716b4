using System.Buffers.Binary;

namespace RoutingFlow.Testing.Pcap;

/// <summary>Writes a minimal pcapng file: section header, one interface, enhanced packet blocks (µs resolution).</summary>
public sealed class PcapNgWriter : IDisposable
{
    private readonly Stream _stream;

    public PcapNgWriter(string path, int linkType)
    {
        _stream = File.Create(path);
        Span<byte> shb = stackalloc byte[28];
        BinaryPrimitives.WriteUInt32LittleEndian(shb, 0x0A0D0D0A);
        BinaryPrimitives.WriteUInt32LittleEndian(shb[4..], 28);
        BinaryPrimitives.WriteUInt32LittleEndian(shb[8..], 0x1A2B3C4D);
        BinaryPrimitives.WriteUInt16LittleEndian(shb[12..], 1);
        BinaryPrimitives.WriteInt64LittleEndian(shb[16..], -1);
        BinaryPrimitives.WriteUInt32LittleEndian(shb[24..], 28);
        _stream.Write(shb);
        Span<byte> idb = stackalloc byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(idb, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(idb[4..], 20);
        BinaryPrimitives.WriteUInt16LittleEndian(idb[8..], (ushort)linkType);
        BinaryPrimitives.WriteUInt32LittleEndian(idb[12..], 262_144);
        BinaryPrimitives.WriteUInt32LittleEndian(idb[16..], 20);
        _stream.Write(idb);
    }

    public long TimestampMicros { get; set; } = 1_700_000_000_000_000;

    public void Write(ReadOnlySpan<byte> frame, long gapMicros = 10)
    {
        var padded = (frame.Length + 3) & ~3;
        var total = 32 + padded;
        Span<byte> head = stackalloc byte[28];
        BinaryPrimitives.WriteUInt32LittleEndian(head, 6);
        BinaryPrimitives.WriteInt32LittleEndian(head[4..], total);
        BinaryPrimitives.WriteUInt32LittleEndian(head[12..], (uint)(TimestampMicros >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(head[16..], (uint)TimestampMicros);
        BinaryPrimitives.WriteInt32LittleEndian(head[20..], frame.Length);
        BinaryPrimitives.WriteInt32LittleEndian(head[24..], frame.Length);
        _stream.Write(head);
        _stream.Write(frame);
        _stream.Write(new byte[padded - frame.Length]);
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(tail, total);
        _stream.Write(tail);
        TimestampMicros += gapMicros;
    }

    public void Dispose() => _stream.Dispose();
}
