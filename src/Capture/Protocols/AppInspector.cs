using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Decoding;

namespace RoutingFlow.Capture.Protocols;

/// <summary>
/// The TLS and HTTP messages the decoder read (<see cref="AppMessage"/>): counted by type (<see cref="MessageTable"/>),
/// versions seen (TLS: the version each ServerHello chose; HTTP: each request line's), ClientHello → ServerHello and
/// request → first response latency on the same connection, and each ClientHello's server name for the name cache.
/// One writer; nothing allocated per packet once warm.
/// </summary>
public sealed class AppInspector(int maxMessageTypes, NameCache? names)
{
    public const long TimeoutMicros = 10_000_000;
    private static readonly ushort[] TlsVersions = [0x0301, 0x0302, 0x0303, 0x0304];
    private static readonly string[] TlsVersionNames = ["TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3", "other"];
    private static readonly string[] HttpVersionNames = ["HTTP/1.0", "HTTP/1.1", "HTTP/2"];
    private readonly long[] _tlsVersions = new long[TlsVersionNames.Length];
    private readonly long[] _httpVersions = new long[HttpVersionNames.Length];
    private AppCounters _counters;

    public MessageTable Messages { get; } = new(maxMessageTypes);

    public PendingRequests<Connection> Tls { get; } = new(TimeoutMicros);

    public PendingRequests<Connection> Http { get; } = new(TimeoutMicros);

    public void Inspect(in DecodedPacket packet, long micros)
    {
        var app = packet.App;
        if (app.Kind == AppKind.TlsMalformed)
        {
            _counters.TlsMalformed++;
            return;
        }
        Messages.Count(app);
        var t = packet.Transport;
        var sent = new Connection(packet.Ip.Source, packet.Ip.Destination, t.SourcePort, t.DestinationPort);
        var answer = new Connection(packet.Ip.Destination, packet.Ip.Source, t.DestinationPort, t.SourcePort);
        switch (app.Kind)
        {
            case AppKind.TlsClientHello:
                _counters.ClientHellos++;
                Tls.Start(sent, micros);
                if (packet.PayloadCaptured > 0)
                    ServerName(packet, micros);
                break;
            case AppKind.TlsServerHello:
                _counters.ServerHellos++;
                _tlsVersions[Array.IndexOf(TlsVersions, app.Version) is var v and >= 0 ? v : TlsVersions.Length]++;
                Tls.Finish(answer, micros);
                break;
            case AppKind.HttpRequest:
                _counters.HttpRequests++;
                _httpVersions[app.Version switch { AppMessage.Http10 => 0, AppMessage.Http11 => 1, _ => 2 }]++;
                if (app.Version != AppMessage.Http2)
                    Http.Start(sent, micros);
                break;
            case AppKind.HttpResponse:
                _counters.HttpResponses++;
                if (app.Code >= 500)
                    _counters.HttpServerErrors++;
                if (app.Code >= 200)
                    Http.Finish(answer, micros); // 1xx are interim: the request is still waiting
                break;
        }
    }

    private void ServerName(in DecodedPacket packet, long micros)
    {
        _counters.ServerNames++;
        if (names is null)
            return;
        Span<char> name = stackalloc char[PayloadPrefix.Length];
        var n = 0;
        if (!HostNames.TryAppendLower(packet.PayloadBytes, name, ref n))
            return;
        names.Learn(packet.Ip.Destination, name[..n], NameCache.TlsLifetime, NameSource.Tls, micros);
    }

    public void Expire(long nowMicros)
    {
        Tls.Expire(nowMicros);
        Http.Expire(nowMicros);
    }

    public AppCounters Counters => _counters with { TlsUnanswered = Tls.Unanswered, HttpUnanswered = Http.Unanswered };

    public List<VersionCount> Versions() =>
    [
        .. TlsVersionNames.Select((n, i) => new VersionCount("tls", n, _tlsVersions[i])).Where(v => v.Count > 0),
        .. HttpVersionNames.Select((n, i) => new VersionCount("http", n, _httpVersions[i])).Where(v => v.Count > 0),
    ];

    public readonly record struct Connection(IpAddr Client, IpAddr Server, ushort ClientPort, ushort ServerPort);
}

/// <summary>TLS and HTTP counts; <see cref="TlsMalformed"/>: handshake records announcing a hello too short to be one.</summary>
public record struct AppCounters(long ClientHellos, long ServerHellos, long ServerNames, long TlsUnanswered,
    long HttpRequests, long HttpResponses, long HttpServerErrors, long HttpUnanswered, long TlsMalformed = 0);

public sealed record VersionCount(string Protocol, string Version, long Count);
