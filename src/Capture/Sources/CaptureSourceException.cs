namespace RoutingFlow.Capture.Sources;

/// <summary>A capture file or interface could not be opened; <see cref="Exception.Message"/> says why and how to fix it.</summary>
public sealed class CaptureSourceException : Exception
{
    public CaptureSourceException()
    {
    }

    public CaptureSourceException(string message)
        : base(message)
    {
    }

    public CaptureSourceException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>True when libpcap itself is missing, as opposed to a problem with one file or interface.</summary>
    public bool LibpcapMissing { get; init; }
}
