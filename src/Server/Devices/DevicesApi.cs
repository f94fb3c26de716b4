using RoutingFlow.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Text.Json;
using RoutingFlow.Capture.Connections;

namespace RoutingFlow.Server.Devices;

/// <summary>
/// The original <c>DEVICE_CONNECTION_STATS</c> endpoints (paths and JSON fields are a compatibility contract) and
/// <c>GET /api/devices</c>. <c>POST</c> and <c>DELETE</c> change state: the API-key rule applies.
/// </summary>
public static class DevicesApi
{
    private static readonly TimeSpan ResetWait = TimeSpan.FromSeconds(3);

    public static void MapDevicesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/traffic_count_attach_device", AttachAsync).Accepts<AttachRequest>("application/json")
            .Produces<AttachResponse>(200).Produces<AttachResponse>(400).Produces<AttachResponse>(404).Produces<AttachResponse>(413)
            .WithDescription("Attach (action add) or detach (remove) a device's connection counting (state change).");
        app.MapGet("/traffic_device_connection_stats", (DeviceRegistry devices, HttpContext context) => StatsAsync(context, devices.Devices))
            .Produces(200, contentType: "application/json").WithDescription("Every attached device's connections: {\"connection_<id>\":{device_id,src_port,dst_port,direction,protocol,timestamp,total_packets,total_bytes}}.");
        app.MapGet("/traffic_device_connection_stats/{deviceId}", GetDeviceAsync)
            .Produces(200, contentType: "application/json").Produces<string>(400, "text/plain").Produces<string>(404, "text/plain")
            .WithDescription("One device's connections (deviceId: its interface index), as the list gives them.");
        app.MapDelete("/traffic_device_connection_stats/{deviceId}", ResetAsync)
            .Produces(200, contentType: "application/json").Produces<string>(400, "text/plain").Produces<string>(404, "text/plain")
            .WithDescription("Reset one device's counters (state change): {device_id, reset}.");
        app.MapGet("/api/devices", (DeviceRegistry devices) => TypedResults.Ok(DeviceViews.List(devices))).WithDescription("The attached devices and their counting state.");
    }

    /// <summary><c>{"iface":"veth0","action":"add"|"remove"}</c> → <c>{"iface","deviceId","attached"}</c> (and a <c>message</c>).</summary>
    public static async Task<IResult> AttachAsync(HttpContext context, DeviceRegistry devices)
    {
        AttachRequest? request;
        string? error;
        try
        {
            (request, error) = await AttachRequest.ReadAsync(context.Request);
        }
        catch (BadHttpRequestException e) // a body past Kestrel:Limits:MaxRequestBodySize, or cut off
        {
            return TypedResults.Json(new AttachResponse(null, null, false, $"{e.Message} (Kestrel:Limits:MaxRequestBodySize)"), statusCode: e.StatusCode);
        }
        if (request is null)
            return TypedResults.BadRequest(new AttachResponse(null, null, false, error));
        if (request.Action == "remove")
        {
            var id = devices.Find(request.Iface)?.Device?.IfIndex;
            return devices.Detach(request.Iface)
                ? TypedResults.Ok(new AttachResponse(request.Iface, id, false, "detached"))
                : TypedResults.NotFound(new AttachResponse(request.Iface, null, false, $"interface '{request.Iface}' is not attached"));
        }
        var result = devices.Attach(request.Iface);
        if (result == AttachResult.Missing)
        {
            return TypedResults.NotFound(new AttachResponse(request.Iface, null, false,
                $"interface '{request.Iface}' does not exist (available: {string.Join(", ", DeviceInfo.All())})"));
        }
        var deviceId = devices.Find(request.Iface)?.Device?.IfIndex ?? DeviceInfo.IfIndexOf(request.Iface);
        return TypedResults.Ok(new AttachResponse(request.Iface, deviceId, true, result == AttachResult.Attached ? "attached" : "already attached"));
    }

    public static async Task<IResult> GetDeviceAsync(string deviceId, HttpContext context, DeviceRegistry devices)
    {
        if (Lookup(deviceId, devices, out var device) is { } problem)
            return problem;
        return await StatsAsync(context, [device!]);
    }

    public static async Task<IResult> ResetAsync(string deviceId, DeviceRegistry devices, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Lookup(deviceId, devices, out var device) is { } problem)
            return problem;
        if (device!.Counter is not { } counter)
            return TypedResults.Text($"device_id {deviceId} has not been opened yet", statusCode: StatusCodes.Status404NotFound);
        var before = counter.Latest?.Resets ?? 0;
        counter.RequestReset(); // the capture thread clears its own table
        var deadline = time.GetTimestamp() + (long)(ResetWait.TotalSeconds * time.TimestampFrequency);
        while ((counter.Latest?.Resets ?? 0) == before && time.GetTimestamp() < deadline)
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        return TypedResults.Ok(new { device_id = device.Device!.IfIndex, reset = (counter.Latest?.Resets ?? 0) > before });
    }

    /// <summary>The attached device a path's <c>device_id</c> names; otherwise the 400 or 404 to answer.</summary>
    private static ContentHttpResult? Lookup(string deviceId, DeviceRegistry devices, out AttachedDevice? device)
    {
        device = null;
        if (!int.TryParse(deviceId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            return TypedResults.Text($"device_id '{deviceId}' is not a number (an interface index)", statusCode: StatusCodes.Status400BadRequest);
        device = devices.FindById(id);
        return device is null ? TypedResults.Text($"no attached device has device_id {id}", statusCode: StatusCodes.Status404NotFound) : null;
    }

    /// <summary>The contract's object: <c>{"connection_&lt;id&gt;": {"device_id", "src_port", "dst_port", "direction", "protocol", "timestamp", "total_packets", "total_bytes"}}</c>.</summary>
    private static async Task<IResult> StatsAsync(HttpContext context, IReadOnlyList<AttachedDevice> devices)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        foreach (var device in devices)
        {
            foreach (var entry in device.Latest?.Counts.Entries ?? [])
                WriteEntry(json, entry);
            if (json.BytesPending > 1 << 16)
                await json.FlushAsync(context.RequestAborted);
        }
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
        return TypedResults.Empty;
    }

    private static void WriteEntry(Utf8JsonWriter json, in ConnectionEntry entry)
    {
        var key = entry.Key;
        json.WriteStartObject($"connection_{key.Id}");
        json.WriteNumber("device_id", key.DeviceId);
        json.WriteNumber("src_port", key.SourcePort);
        json.WriteNumber("dst_port", key.DestinationPort);
        json.WriteString("direction", key.Direction == ConnectionDirection.Egress ? "egress" : "ingress");
        json.WriteString("protocol", key.Protocol == ConnectionProtocol.Tcp ? "TCP" : "UDP");
        json.WriteNumber("timestamp", entry.LastActiveMicros / 1_000_000);
        json.WriteNumber("total_packets", entry.Packets);
        json.WriteNumber("total_bytes", entry.Bytes);
        json.WriteEndObject();
    }
}

/// <summary>The answer to an attach or detach: the contract's three fields and what happened.</summary>
public sealed record AttachResponse(string? Iface, int? DeviceId, bool Attached, string? Message);

/// <summary>The body of <c>POST /traffic_count_attach_device</c>, validated: each problem named by its field.</summary>
public sealed record AttachRequest(string Iface, string Action)
{
    public static async Task<(AttachRequest? Request, string? Error)> ReadAsync(HttpRequest request)
    {
        JsonElement body;
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            body = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return (null, $"the body is not valid JSON ({e.Message}); send {{\"iface\":\"veth0\",\"action\":\"add\"}}");
        }
        if (body.ValueKind != JsonValueKind.Object)
            return (null, "the body must be a JSON object: {\"iface\":\"veth0\",\"action\":\"add\"}");
        if (!body.TryGetProperty("iface", out var iface))
            return (null, "iface is missing (a string: the interface name)");
        if (iface.ValueKind != JsonValueKind.String)
            return (null, $"iface must be a string (the interface name), not {Kind(iface)}");
        if (!body.TryGetProperty("action", out var action))
            return (null, "action is missing (\"add\" or \"remove\")");
        if (action.ValueKind != JsonValueKind.String)
            return (null, $"action must be the string \"add\" or \"remove\", not {Kind(action)}");
        if (Text(iface) is not { } name)
            return (null, "iface is not valid text (a lone surrogate escape)");
        if (!DeviceInfo.IsValidName(name))
            return (null, $"iface '{name}' is not a valid interface name (1–15 characters: letters, digits, '.', '-', '_', '@', ':')");
        if (Text(action) is not { } verb)
            return (null, "action is not valid text (a lone surrogate escape)");
        if (verb is not ("add" or "remove"))
            return (null, $"action '{verb}' is not \"add\" or \"remove\"");
        return (new AttachRequest(name, verb), null);
    }

    /// <summary>A JSON string's text; null when it escapes a lone surrogate, which .NET cannot hold as text.</summary>
    private static string? Text(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => $"{value.GetRawText()}",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };
}
