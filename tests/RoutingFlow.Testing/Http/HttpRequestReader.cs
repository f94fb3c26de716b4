using System.Globalization;
using System.Text;

namespace RoutingFlow.Testing.Http;

/// <summary>Reads one HTTP/1.1 request from a stream: the head, then a Content-Length or chunked body.</summary>
internal sealed class HttpRequestReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private MemoryStream? _sink;

    public async Task<(string Method, string Target, Dictionary<string, string> Headers)> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var requestLine = await ReadLineAsync(cancellationToken);
        var parts = requestLine.Split(' ');
        if (parts.Length < 3)
            throw new FormatException($"bad request line '{requestLine}'");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var line = await ReadLineAsync(cancellationToken); line.Length > 0; line = await ReadLineAsync(cancellationToken))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return (parts[0], parts[1], headers);
    }

    /// <summary>Reads a small body (Content-Length or chunked) as UTF-8 text.</summary>
    public async Task<string> ReadBodyTextAsync(Dictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var body = new MemoryStream();
        _sink = body;
        try
        {
            await ReadBodyAsync(headers, _ => { }, cancellationToken);
        }
        finally
        {
            _sink = null;
        }
        return Encoding.UTF8.GetString(body.ToArray());
    }

    /// <summary>Reads and discards the body; returns its length.</summary>
    public async Task<long> ReadBodyAsync(Dictionary<string, string> headers, Action<long> onBytes, CancellationToken cancellationToken)
    {
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            return await ReadChunkedAsync(onBytes, cancellationToken);
        var length = headers.TryGetValue("Content-Length", out var text) ? long.Parse(text, CultureInfo.InvariantCulture) : 0;
        await SkipAsync(length, onBytes, cancellationToken);
        return length;
    }

    private async Task<long> ReadChunkedAsync(Action<long> onBytes, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var sizeLine = await ReadLineAsync(cancellationToken);
            var size = long.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                while ((await ReadLineAsync(cancellationToken)).Length > 0)
                {
                    // trailers
                }
                return total;
            }
            await SkipAsync(size, onBytes, cancellationToken);
            total += size;
            await ReadLineAsync(cancellationToken);
        }
    }

    private async Task SkipAsync(long count, Action<long> onBytes, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
                throw new IOException("the body ended early");
            var take = (int)Math.Min(count, _end - _start);
            _sink?.Write(_buffer, _start, take);
            _start += take;
            count -= take;
            onBytes(take);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
                throw new IOException("the connection closed mid-line");
            var b = _buffer[_start++];
            if (b == '\n')
                return line.ToString().TrimEnd('\r');
            line.Append((char)b);
            if (line.Length > 16 * 1024)
                throw new FormatException("line too long");
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, cancellationToken);
        return _end > 0;
    }
}
