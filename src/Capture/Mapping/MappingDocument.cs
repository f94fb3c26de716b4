using System.Text.Json;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Mapping;

/// <summary>
/// Parses a routing status API response: <c>{"192.168.1.10":"wan1","10.0.2.0/24":"wan0"}</c>,
/// <c>{"mappings":[{"ip":"…","nic":"…"}]}</c>, or that array alone. Any bad entry rejects the whole response
/// (the caller keeps its last good mapping) with a message naming it.
/// </summary>
public static class MappingDocument
{
    public static bool TryParse(string json, IReadOnlyCollection<string> knownNics, out List<MappingEntry> entries, out string? error)
    {
        entries = [];
        error = null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("mappings", out var list))
                root = list;
            return root.ValueKind switch
            {
                JsonValueKind.Array => TryParseArray(root, knownNics, entries, out error),
                JsonValueKind.Object => TryParseObject(root, knownNics, entries, out error),
                _ => Fail("expected an object or an array", out error),
            };
        }
        catch (JsonException e)
        {
            return Fail($"invalid JSON: {e.Message}", out error);
        }
    }

    private static bool TryParseObject(JsonElement root, IReadOnlyCollection<string> knownNics, List<MappingEntry> entries, out string? error)
    {
        foreach (var property in root.EnumerateObject())
        {
            var nic = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
            if (!TryAdd(property.Name, nic, knownNics, entries, out error))
                return false;
        }
        error = null;
        return true;
    }

    private static bool TryParseArray(JsonElement root, IReadOnlyCollection<string> knownNics, List<MappingEntry> entries, out string? error)
    {
        var i = 0;
        foreach (var item in root.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
                return Fail($"mappings[{i}] is not an object", out error);
            var ip = item.TryGetProperty("ip", out var ipValue) && ipValue.ValueKind == JsonValueKind.String ? ipValue.GetString() : null;
            var nic = item.TryGetProperty("nic", out var nicValue) && nicValue.ValueKind == JsonValueKind.String ? nicValue.GetString() : null;
            if (!TryAdd(ip, nic, knownNics, entries, out error))
                return false;
            i++;
        }
        error = null;
        return true;
    }

    private static bool TryAdd(string? ip, string? nic, IReadOnlyCollection<string> knownNics, List<MappingEntry> entries, out string? error)
    {
        if (!IpNetwork.TryParse(ip, out var network, out var reason))
            return Fail($"invalid IP {reason ?? ip}", out error);
        if (nic is null || !knownNics.Contains(nic))
            return Fail($"{ip} maps to unknown NIC '{nic}' (declared: {string.Join(", ", knownNics)})", out error);
        entries.Add(new MappingEntry(network, nic, "url"));
        error = null;
        return true;
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }
}
