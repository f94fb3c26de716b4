using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace RoutingFlow.Capture.Decoding;

/// <summary>
/// Walks a TCP header's options (RFC 9293 §3.1: kind, length, data; kinds 0 and 1 are one byte). An option whose
/// length is below 2, runs past the header, or does not fit its kind (MSS 4, window scale 3, SACK-permitted 2,
/// SACK 2 + 8n, timestamps 10) makes the header <see cref="LayerResult.Bad"/>; options cut by the snap length are
/// read as far as they were captured.
/// </summary>
public static class TcpOptionReader
{
    private const byte End = 0, Nop = 1, MssKind = 2, WindowScaleKind = 3, SackPermittedKind = 4, SackKind = 5, TimestampKind = 8;

    /// <param name="options">The option bytes that were captured (at most the header's).</param>
    /// <param name="length">The option bytes the header declares (data offset × 4 − 20).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LayerResult Read(ReadOnlySpan<byte> options, int length, out TcpOptions parsed)
    {
        parsed = TcpOptions.None;
        var i = 0;
        while (i < options.Length)
        {
            var kind = options[i];
            if (kind == End)
                return LayerResult.Ok;
            if (kind == Nop)
            {
                i++;
                continue;
            }
            if (i + 1 >= options.Length)
                return i + 1 >= length ? LayerResult.Bad : LayerResult.Ok; // the length byte past the header, or not captured
            var size = options[i + 1];
            if (size < 2 || i + size > length)
                return LayerResult.Bad;
            if (i + size > options.Length)
                return LayerResult.Ok; // cut by the snap length
            if (!ReadOne(kind, options.Slice(i, size), ref parsed))
                return LayerResult.Bad;
            i += size;
        }
        return LayerResult.Ok;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ReadOne(byte kind, ReadOnlySpan<byte> option, ref TcpOptions parsed)
    {
        switch (kind)
        {
            case MssKind:
                if (option.Length != 4)
                    return false;
                parsed.Mss = BinaryPrimitives.ReadUInt16BigEndian(option[2..]);
                return true;
            case WindowScaleKind:
                if (option.Length != 3)
                    return false;
                parsed.WindowScale = (sbyte)Math.Min((int)option[2], TcpOptions.MaxWindowScale);
                return true;
            case SackPermittedKind:
                parsed.SackPermitted = true;
                return option.Length == 2;
            case SackKind:
                return ReadSack(option, ref parsed);
            case TimestampKind:
                if (option.Length != 10)
                    return false;
                parsed.HasTimestamp = true;
                parsed.TimestampValue = BinaryPrimitives.ReadUInt32BigEndian(option[2..]);
                parsed.TimestampEcho = BinaryPrimitives.ReadUInt32BigEndian(option[6..]);
                return true;
            default:
                return true; // unknown kinds are skipped by their length
        }
    }

    private static bool ReadSack(ReadOnlySpan<byte> option, ref TcpOptions parsed)
    {
        var blocks = (option.Length - 2) / 8;
        if (blocks == 0 || (option.Length - 2) % 8 != 0)
            return false;
        parsed.SackBlocks = (byte)blocks;
        parsed.SackLeft = BinaryPrimitives.ReadUInt32BigEndian(option[2..]);
        parsed.SackRight = BinaryPrimitives.ReadUInt32BigEndian(option[6..]);
        return true;
    }
}
