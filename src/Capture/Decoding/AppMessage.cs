namespace RoutingFlow.Capture.Decoding;

/// <summary>
/// What the decoder read of a TCP segment's application payload while the frame was in hand (the protocol inspection
/// runs after the capture's ring went back to the kernel): a TLS ClientHello or ServerHello, an HTTP/1.x request or
/// status line. A ClientHello's server name goes into <see cref="DecodedPacket.Payload"/>.
/// </summary>
public readonly record struct AppMessage(AppKind Kind, ushort Version, ushort Code)
{
    /// <summary>HTTP/1.0, 1.1 and the HTTP/2 prior-knowledge preface, as <see cref="Version"/> holds them.</summary>
    public const ushort Http10 = 10, Http11 = 11, Http2 = 20;
}

public enum AppKind : byte
{
    None,

    /// <summary><see cref="AppMessage.Version"/>: the highest version offered (supported_versions, else the legacy field).</summary>
    TlsClientHello,

    /// <summary><see cref="AppMessage.Version"/>: the version the server chose (supported_versions, else the legacy field).</summary>
    TlsServerHello,

    /// <summary><see cref="AppMessage.Code"/>: the method's index in <see cref="HttpMethods.Names"/>.</summary>
    HttpRequest,

    /// <summary><see cref="AppMessage.Code"/>: the status code.</summary>
    HttpResponse,

    /// <summary>A TLS handshake record announcing a ClientHello or ServerHello (<see cref="AppMessage.Code"/>: 1 or 2) too short to be one.</summary>
    TlsMalformed,
}

/// <summary>The request methods recognised on a request line (RFC 9110 §9 and PATCH).</summary>
public static class HttpMethods
{
    public static readonly string[] Names = ["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE", "PRI"];

    public const int Preface = 9;
}
