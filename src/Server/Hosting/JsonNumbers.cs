using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RoutingFlow.Server.Hosting;

/// <summary>
/// How the JSON APIs write fractional numbers, by what they measure (the field's name says it): rates and byte counts
/// (<c>…Bps</c>, <c>bps</c>, <c>…Bytes</c>) as whole numbers, utilisations and shares (<c>…utilization</c>,
/// <c>share</c>, <c>coverage</c>, <c>…Rate</c> in percent) to 4 decimals, everything else (seconds, factors, loss and
/// retransmission ratios, whose healthy values are around 1e-5) to 6; never
/// in exponent notation (<c>0.000039</c>, not <c>3.9E-05</c>), never with 16 digits of float noise. NaN and infinities
/// are written as null.
/// </summary>
public static class JsonNumbers
{
    /// <summary>Decimals kept for a field named <paramref name="name"/>.</summary>
    public static int DecimalsFor(string name)
    {
        if (name.EndsWith("Bps", StringComparison.Ordinal) || name.Equals("bps", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Bytes", StringComparison.OrdinalIgnoreCase))
            return 0;
        if (name.EndsWith("tilization", StringComparison.Ordinal) || name is "share" or "coverage" || name.EndsWith("ErrorRate", StringComparison.OrdinalIgnoreCase)
            || name == "errorRate")
            return 4;
        return 6;
    }

    public static void Write(Utf8JsonWriter json, string name, double? value)
    {
        json.WritePropertyName(name);
        WriteValue(json, value, DecimalsFor(name));
    }

    public static void WriteValue(Utf8JsonWriter json, double? value, int decimals)
    {
        if (value is not { } v || !double.IsFinite(v))
            json.WriteNullValue();
        else if (decimals == 0 && Math.Abs(v) < 9e18)
            json.WriteNumberValue((long)Math.Round(v));
        else if (Math.Abs(v) < 7.9e27)
            json.WriteNumberValue(Math.Round((decimal)v, decimals) / 1.000000000000000000000000000000000m); // decimal: never an exponent; the division drops trailing zeros
        else
            json.WriteNumberValue(v);
    }

    /// <summary>Applies the rule to every <c>double</c> property the serializer writes (the typed results of the endpoints).</summary>
    public static void Apply(JsonSerializerOptions options) =>
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(Modify);

    private static void Modify(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
            return;
        foreach (var property in info.Properties)
        {
            if (property.PropertyType == typeof(double))
                property.CustomConverter = new Converter(DecimalsFor(property.Name));
            else if (property.PropertyType == typeof(double?))
                property.CustomConverter = new NullableConverter(DecimalsFor(property.Name));
        }
    }

    private sealed class Converter(int decimals) : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => WriteValue(writer, value, decimals);
    }

    private sealed class NullableConverter(int decimals) : JsonConverter<double?>
    {
        public override bool HandleNull => true;

        public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? null : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options) => WriteValue(writer, value, decimals);
    }
}
