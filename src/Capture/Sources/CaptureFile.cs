using SharpPcap;
using SharpPcap.LibPcap;

namespace RoutingFlow.Capture.Sources;

/// <summary>Opens a pcap or pcapng file through SharpPcap's file reader, with plain errors.</summary>
public static class CaptureFile
{
    public static CaptureFileReaderDevice Open(string path)
    {
        CheckReadable(path);
        try
        {
            var device = new CaptureFileReaderDevice(path);
            device.Open();
            return device;
        }
        catch (Exception e) when (LibpcapGuard.IsMissing(e))
        {
            throw LibpcapGuard.Missing(e);
        }
        catch (PcapException e)
        {
            throw new CaptureSourceException($"{path}: not a pcap or pcapng capture ({Reason(e.Message)})", e);
        }
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
