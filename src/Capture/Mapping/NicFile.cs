using System.Text.Json;

namespace RoutingFlow.Capture.Mapping;

/// <summary>
/// Parses <c>nic.json</c>: <c>{"nics":[{"name":"wan0","interface":"eth0"}]}</c> or the short form
/// <c>{"wan0":"eth0"}</c>. Errors name the offending key.
/// </summary>
public static class NicFile
{
    /// <param name="allowNone">True where a server watches other routers only (fleet mode): no WAN of its own is valid.</param>
    public static IReadOnlyList<NicDeclaration> Parse(string json, string path, List<string> errors, bool allowNone = false)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var nics = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("nics", out var list)
                ? ParseList(list, path, errors)
                : ParseShort(doc.RootElement, path, errors);
            CheckNames(nics, path, errors, allowNone);
            return nics;
        }
        catch (JsonException e)
        {
            errors.Add($"{path}: not valid JSON ({e.Message})");
            return [];
        }
    }

    public static IReadOnlyList<NicDeclaration> Load(string path, List<string> errors, bool allowNone = false)
    {
        if (!File.Exists(path))
        {
            errors.Add($"RoutingFlow:NicFile: '{path}' does not exist (declare the WANs there, e.g. {{\"nics\":[{{\"name\":\"wan0\",\"interface\":\"auto\"}}]}})");
            return [];
        }
        return Parse(File.ReadAllText(path), path, errors, allowNone);
    }

    private static List<NicDeclaration> ParseList(JsonElement list, string path, List<string> errors)
    {
        var nics = new List<NicDeclaration>();
        if (list.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{path}: nics must be an array of {{\"name\",\"interface\"}}");
            return nics;
        }
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : null;
            var itf = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("interface", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : null;
            if (name is null || itf is null)
                errors.Add($"{path}: nics[{i}] needs string fields \"name\" and \"interface\"");
            else
                nics.Add(new NicDeclaration(name, itf));
            i++;
        }
        return nics;
    }

    private static List<NicDeclaration> ParseShort(JsonElement root, string path, List<string> errors)
    {
        var nics = new List<NicDeclaration>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: expected {{\"nics\":[…]}} or {{\"wan0\":\"eth0\"}}");
            return nics;
        }
        foreach (var property in root.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
                nics.Add(new NicDeclaration(property.Name, property.Value.GetString()!));
            else
                errors.Add($"{path}: {property.Name} must name an interface (a string)");
        }
        return nics;
    }

    private static void CheckNames(List<NicDeclaration> nics, string path, List<string> errors, bool allowNone)
    {
        if (nics.Count == 0 && !allowNone)
            errors.Add($"{path}: declares no WAN (a server that only watches other routers sets RoutingFlow:Fleet:Prometheus:Url)");
        if (nics.Count > 254)
            errors.Add($"{path}: declares {nics.Count} WANs; at most 254 are supported");
        for (var i = 0; i < nics.Count; i++)
        {
            var nic = nics[i];
            if (string.IsNullOrWhiteSpace(nic.Name) || nic.Name.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-' and not '.'))
                errors.Add($"{path}: nics[{i}].name '{nic.Name}' must be letters, digits, '_', '-' or '.'");
            if (string.IsNullOrWhiteSpace(nic.Interface))
                errors.Add($"{path}: nics[{i}].interface is empty (use \"auto\" for the default route's interface)");
            if (nics.Take(i).Any(other => other.Name == nic.Name))
                errors.Add($"{path}: nics[{i}].name '{nic.Name}' is declared twice");
        }
    }
}
