using SharpPcap;
using SharpPcap.LibPcap;

namespace RoutingFlow.Capture.Sources;

/// <summary>
/// A pcap or pcapng file opened through SharpPcap's file reader, with plain errors, and read through a 1 MiB
/// lock-free stdio buffer (see <see cref="LibcStdio"/>).
/// </summary>
public sealed unsafe class CaptureFile : IDisposable
{
    private const int ReadBufferSize = 1 << 20;
    // Pinned for the stream's life: this object owns both and closes the stream before letting go of the buffer.
    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(ReadBufferSize, pinned: true);

    private CaptureFile(CaptureFileReaderDevice device)
    {
        Device = device;
        fixed (byte* buffer = _buffer)
            LibcStdio.TuneForOneReader(device.Handle.DangerousGetHandle(), buffer, ReadBufferSize);
    }

    public CaptureFileReaderDevice Device { get; }

    public int LinkType => (int)Device.LinkType;

    public string LastError => Device.LastError;

    /// <summary>Size of the file when it was opened, in bytes.</summary>
    public long Length { get; private init; }

    /// <summary>Bytes of the file read so far; -1 when the platform cannot tell.</summary>
    public long Position => LibcStdio.Position(Device.Handle.DangerousGetHandle());

    public static CaptureFile Open(string path)
    {
        CheckReadable(path);
        CaptureFileReaderDevice device;
        try
        {
            device = new CaptureFileReaderDevice(path);
            device.Open();
        }
        catch (Exception e) when (LibpcapGuard.IsMissing(e))
        {
            throw LibpcapGuard.Missing(e);
        }
        catch (PcapException e)
        {
            throw new CaptureSourceException($"{path}: not a pcap or pcapng capture ({Reason(e.Message)})", e);
        }
        return new CaptureFile(device) { Length = new FileInfo(path).Length };
    }

    public void Dispose()
    {
        Device.Close();
        GC.KeepAlive(_buffer);
    }

    private static void CheckReadable(string path)
    {
        if (Directory.Exists(path))
            throw new CaptureSourceException($"{path}: is a directory, not a capture file");
        if (!File.Exists(path))
            throw new CaptureSourceException($"{path}: no such file");
        try
        {
            using var stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new CaptureSourceException($"{path}: cannot be read ({e.Message})", e);
        }
    }

    private static string Reason(string message)
    {
        var colon = message.LastIndexOf(": ", StringComparison.Ordinal);
        return colon >= 0 ? message[(colon + 2)..].Trim() : message.Trim();
    }
}
