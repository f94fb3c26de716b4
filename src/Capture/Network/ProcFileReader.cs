using Microsoft.Win32.SafeHandles;

namespace RoutingFlow.Capture.Network;

/// <summary>
/// Reads a whole <c>/proc</c> file into one buffer that is kept and grown as needed (procfs reports a size of 0, so it
/// is read until the end), so that a scan allocates nothing per line and, once the buffer has grown, almost nothing
/// at all. One reader per thread.
/// </summary>
public sealed class ProcFileReader(int initialBytes = 64 * 1024)
{
    private byte[] _buffer = new byte[initialBytes];

    /// <summary>The file's bytes (valid until the next read). Throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> as the file system does.</summary>
    public ReadOnlySpan<byte> Read(string path)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
                Array.Resize(ref _buffer, _buffer.Length * 2);
            var read = RandomAccess.Read(handle, _buffer.AsSpan(length), length);
            if (read == 0)
                return _buffer.AsSpan(0, length);
            length += read;
        }
    }
}
