using System.Text;
using System.Text.Json;

namespace RoutingFlow.Server.History;

/// <summary>Writes a sequence straight to the response as it is read (JSON or CSV), flushing every so many rows: constant memory over any range.</summary>
public static class Streaming
{
    private const int FlushEvery = 2000;

    public static async Task JsonAsync<T>(HttpResponse response, Action<Utf8JsonWriter> head, string arrayName, IAsyncEnumerable<T> rows,
        Action<Utf8JsonWriter, T> write, CancellationToken cancellationToken)
    {
        response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(response.Body);
        json.WriteStartObject();
        head(json);
        json.WriteStartArray(arrayName);
        var count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            write(json, row);
            if (++count % FlushEvery == 0)
                await json.FlushAsync(cancellationToken);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    public static async Task CsvAsync<T>(HttpResponse response, string fileName, string header, IAsyncEnumerable<T> rows, Func<T, string> row,
        CancellationToken cancellationToken)
    {
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(false), 64 * 1024);
        await writer.WriteAsync(header);
        var count = 0;
        await foreach (var item in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(row(item));
            if (++count % FlushEvery == 0)
                await writer.FlushAsync(cancellationToken);
        }
        await writer.FlushAsync(cancellationToken);
    }
}
