using System.Runtime.InteropServices;
using SharpPcap.LibPcap;

namespace RoutingFlow.Capture.Sources;

/// <summary>One frame as libpcap hands it over: valid only until the next read from the same handle.</summary>
public readonly ref struct PcapRecord(long timestampMicros, int wireLength, ReadOnlySpan<byte> data)
{
    /// <summary>Capture time, microseconds since the Unix epoch.</summary>
    public long TimestampMicros { get; } = timestampMicros;

    /// <summary>Length on the wire (pcap's <c>len</c>); <see cref="Data"/> may be shorter (snap length).</summary>
    public int WireLength { get; } = wireLength;

    public ReadOnlySpan<byte> Data { get; } = data;
}

/// <summary>Result of <see cref="PcapRecordReader.Next"/>, as <c>pcap_next_ex</c> returns it.</summary>
public enum PcapReadResult
{
    Packet = 1,
    Timeout = 0,
    Error = -1,
    EndOfFile = -2,
}

/// <summary>
/// Reads frames through <c>pcap_next_ex</c> without allocating: SharpPcap's <c>GetNextPacket</c> allocates two
/// objects per packet, so this reads the <c>pcap_pkthdr</c> in place instead.
/// </summary>
public static class PcapRecordReader
{
    // struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; }  (timeval = two C longs)
    [StructLayout(LayoutKind.Sequential)]
    internal readonly struct PcapPacketHeader
    {
        public readonly nint Seconds;
        public readonly nint Microseconds;
        public readonly uint CaptureLength;
        public readonly uint Length;
    }

    public static unsafe PcapReadResult Next(PcapDevice device, out PcapRecord record)
    {
        if (!Environment.Is64BitProcess)
            return NextPortable(device, out record);
        nint header = 0;
        nint data = 0;
        var result = LibpcapNative.Available
            ? LibpcapNative.PcapNextEx(device.Handle.DangerousGetHandle(), &header, &data)
            : device.GetNextPacketPointers(ref header, ref data);
        if (result != 1)
        {
            record = default;
            return result switch { 0 => PcapReadResult.Timeout, -2 => PcapReadResult.EndOfFile, _ => PcapReadResult.Error };
        }
        var h = (PcapPacketHeader*)header; // the LP64 layout: two 64-bit longs, then caplen and len
        var micros = ((long)h->Seconds * 1_000_000) + h->Microseconds;
        record = new PcapRecord(micros, (int)h->Length, new ReadOnlySpan<byte>((void*)data, (int)h->CaptureLength));
        return PcapReadResult.Packet;
    }

    // 32-bit systems may have a 64-bit time_t (Debian armhf, musl 1.2): let SharpPcap read the header (allocates).
    private static PcapReadResult NextPortable(PcapDevice device, out PcapRecord record)
    {
        var status = device.GetNextPacket(out var capture);
        if (status != SharpPcap.GetPacketStatus.PacketRead)
        {
            record = default;
            return status switch
            {
                SharpPcap.GetPacketStatus.ReadTimeout => PcapReadResult.Timeout,
                SharpPcap.GetPacketStatus.NoRemainingPackets => PcapReadResult.EndOfFile,
                _ => PcapReadResult.Error,
            };
        }
        var header = (PcapHeader)capture.Header;
        var micros = ((long)header.Timeval.Seconds * 1_000_000) + (long)header.Timeval.MicroSeconds;
        record = new PcapRecord(micros, (int)header.PacketLength, capture.Data);
        return PcapReadResult.Packet;
    }
}
