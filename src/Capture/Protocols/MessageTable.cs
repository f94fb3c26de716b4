using RoutingFlow.Capture.Decoding;

namespace RoutingFlow.Capture.Protocols;

/// <summary>
/// Messages counted by type: (protocol, message, detail) such as ("http", "request", "GET"), ("http", "response",
/// "404"), ("tls", "server_hello", "TLS 1.3"). At most <c>capacity</c> types (<c>RoutingFlow:Network:MaxMessageTypes</c>)
/// are told apart, in the order first seen; later ones count under ("other", "other", "other") and
/// <see cref="Overflowed"/>. A type's names are made once, when first seen; counting one allocates nothing. One writer.
/// </summary>
public sealed class MessageTable(int capacity = 100)
{
    private readonly Dictionary<int, int> _index = new(64);
    private readonly List<MessageTypeCount> _types = [];
    private long[] _counts = new long[16];

    public int Capacity { get; } = capacity;

    public long Overflowed { get; private set; }

    public void Count(in AppMessage message)
    {
        var detail = message.Kind switch
        {
            AppKind.HttpRequest or AppKind.HttpResponse => message.Code,
            _ => message.Version,
        };
        var key = ((int)message.Kind << 16) | detail;
        if (!_index.TryGetValue(key, out var i))
        {
            if (_types.Count >= Capacity)
            {
                Overflowed++;
                return;
            }
            i = _types.Count;
            _types.Add(Names(message.Kind, detail));
            _index.Add(key, i);
            if (i >= _counts.Length)
                Array.Resize(ref _counts, _counts.Length * 2);
        }
        _counts[i]++;
    }

    private static MessageTypeCount Names(AppKind kind, ushort detail) => kind switch
    {
        AppKind.HttpRequest => new("http", "request", detail < HttpMethods.Names.Length ? HttpMethods.Names[detail] : "other", 0),
        AppKind.HttpResponse => new("http", "response", detail.ToString(System.Globalization.CultureInfo.InvariantCulture), 0),
        AppKind.TlsClientHello => new("tls", "client_hello", TlsHello.Name(detail), 0),
        _ => new("tls", "server_hello", TlsHello.Name(detail), 0),
    };

    public List<MessageTypeCount> Snapshot()
    {
        var list = _types.Select((t, i) => t with { Count = _counts[i] }).ToList();
        if (Overflowed > 0)
            list.Add(new MessageTypeCount("other", "other", "other", Overflowed));
        return list;
    }
}

public sealed record MessageTypeCount(string Protocol, string Message, string Detail, long Count);
