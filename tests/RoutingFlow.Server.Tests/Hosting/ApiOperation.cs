using System.Globalization;
using System.Text.Json;

namespace RoutingFlow.Server.Tests.Hosting;

/// <summary>A parameter as the OpenAPI document states it.</summary>
public sealed record ApiParameter(string Name, string In, bool Required, string? Type, string? Format, IReadOnlyList<string>? Values, double? Minimum, double? Maximum)
{
    /// <summary>Whether the document's schema already rules <paramref name="text"/> out (so a 2xx for it is wrong).</summary>
    public bool Rejects(string text)
    {
        if (Values is not null)
            return !Values.Contains(text);
        if (Type == "integer")
            return !(int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && InRange(n));
        if (Type == "number")
            return !(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && d > (Minimum ?? double.MinValue) && d <= (Maximum ?? double.MaxValue));
        if (Format == "date-time")
            return !(long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && s is >= 0 and < 253_402_300_800)
                && !(DateTimeOffset.TryParse(text.Replace(' ', '+'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && t >= DateTimeOffset.UnixEpoch);
        return Required && text.Trim().Length == 0;
    }

    /// <summary>A value the schema accepts, for the other parameters of a request (null: leave it out).</summary>
    public string? Valid => Values is { Count: > 0 } ? Values[0] : Type == "integer" ? ((long)(Minimum ?? 1)).ToString(CultureInfo.InvariantCulture) : null;

    private bool InRange(double n) => n >= (Minimum ?? double.MinValue) && n <= (Maximum ?? double.MaxValue);
}

/// <summary>A body field (possibly inside an array of objects: <c>moves[0].target</c>) and the JSON kind its schema asks for.</summary>
public sealed record ApiBodyField(string Path, string Name, string? Type);

/// <summary>One operation of the OpenAPI document: path, method, parameters, body fields, documented answers.</summary>
public sealed record ApiOperation(string Method, string Path, IReadOnlyList<ApiParameter> Parameters, IReadOnlyList<ApiBodyField>? Body,
    IReadOnlySet<int> Statuses, string? Description)
{
    public override string ToString() => $"{Method} {Path}";

    public static List<ApiOperation> All(JsonElement document)
    {
        var list = new List<ApiOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject())
            {
                var parameters = op.Value.TryGetProperty("parameters", out var ps) ? ps.EnumerateArray().Select(Parameter).ToList() : [];
                var body = op.Value.TryGetProperty("requestBody", out var rb) ? BodyFields(document, rb) : null;
                var statuses = op.Value.GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name, CultureInfo.InvariantCulture)).ToHashSet();
                var description = op.Value.TryGetProperty("description", out var d) ? d.GetString() : null;
                list.Add(new ApiOperation(op.Name.ToUpperInvariant(), path.Name, parameters, body, statuses, description));
            }
        }
        return list;
    }

    private static ApiParameter Parameter(JsonElement p)
    {
        var schema = p.GetProperty("schema");
        return new ApiParameter(p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!,
            p.TryGetProperty("required", out var r) && r.GetBoolean(), TypeOf(schema),
            schema.TryGetProperty("format", out var f) ? f.GetString() : null,
            schema.TryGetProperty("enum", out var e) ? e.EnumerateArray().Select(v => v.GetString()!).ToList() : null,
            Number(schema, "minimum"), Number(schema, "maximum"));
    }

    private static double? Number(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.Parse(v.GetString()!, CultureInfo.InvariantCulture) : null;

    /// <summary>The type a schema names (OpenAPI 3.1 may give a list such as <c>["null","string"]</c>).</summary>
    private static string? TypeOf(JsonElement schema) =>
        !schema.TryGetProperty("type", out var t) ? null
        : t.ValueKind == JsonValueKind.String ? t.GetString()
        : t.EnumerateArray().Select(x => x.GetString()).FirstOrDefault(x => x != "null");

    private static List<ApiBodyField> BodyFields(JsonElement document, JsonElement requestBody)
    {
        var schema = Resolve(document, requestBody.GetProperty("content").EnumerateObject().First().Value.GetProperty("schema"));
        var fields = new List<ApiBodyField>();
        foreach (var property in schema.GetProperty("properties").EnumerateObject())
        {
            var type = TypeOf(Resolve(document, property.Value));
            fields.Add(new ApiBodyField(property.Name, property.Name, type));
            if (type == "array" && Resolve(document, property.Value).GetProperty("items") is var items
                && Resolve(document, items).TryGetProperty("properties", out var inner))
            {
                foreach (var field in inner.EnumerateObject())
                    fields.Add(new ApiBodyField($"{property.Name}[0].{field.Name}", field.Name, TypeOf(Resolve(document, field.Value))));
            }
        }
        return fields;
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference))
            return schema;
        var name = reference.GetString()!.Split('/')[^1];
        return document.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }
}
