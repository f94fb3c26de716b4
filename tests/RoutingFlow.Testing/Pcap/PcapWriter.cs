using System.Buffers.Binary;

namespace RoutingFlow.Testing.Pcap;

/// <summary>Writes classic libpcap files (microsecond timestamps), cutting each frame at the snap length as a capture would.</summary>
public sealed class PcapWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly int _snapLength;

    public PcapWriter(string path, int linkType, int snapLength = 262_144)
    {
        _stream = File.Create(path);
        _snapLength = snapLength;
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], snapLength);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], linkType);
        _stream.Write(header);
    }

    public long TimestampMicros { get; set; } = 1_700_000_000_000_000;

    /// <summary>Writes one frame; the timestamp advances by <paramref name="gapMicros"/> afterwards.</summary>
    public void Write(ReadOnlySpan<byte> frame, long gapMicros = 10, int? wireLength = null)
    {
        var captured = Math.Min(frame.Length, _snapLength);
        Span<byte> record = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(TimestampMicros / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(TimestampMicros % 1_000_000));
        BinaryPrimitives.WriteInt32LittleEndian(record[8..], captured);
        BinaryPrimitives.WriteInt32LittleEndian(record[12..], wireLength ?? frame.Length);
        _stream.Write(record);
        _stream.Write(frame[..captured]);
        TimestampMicros += gapMicros;
    }

    public void Dispose() => _stream.Dispose();
}
