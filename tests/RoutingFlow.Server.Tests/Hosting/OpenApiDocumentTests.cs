using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using RoutingFlow.Server.Hosting;
using RoutingFlow.Server.Tests.Infrastructure;

namespace RoutingFlow.Server.Tests.Hosting;

/// <summary>
/// <c>/openapi/v1.json</c> on the real server: every REST endpoint the host maps is in it (and nothing else), each with
/// a description, a success answer, the 400 of any operation that takes input, and a schema for each parameter.
/// </summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task TheDocument_ListsEveryEndpointTheHostMaps_WithTheirParametersAndAnswers()
    {
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"wan0"}""", []);
        using var document = JsonDocument.Parse(await server.Http.GetStringAsync("openapi/v1.json"));
        var operations = ApiOperation.All(document.RootElement);

        Assert.Equal(MappedEndpoints(), operations.Select(o => o.ToString()).Order(StringComparer.Ordinal));
        foreach (var op in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace(op.Description), $"{op} has no description");
            Assert.True(op.Statuses.Any(s => s is >= 200 and < 300), $"{op} lists no success");
            if (op.Parameters.Count > 0 || op.Body is not null)
                Assert.True(op.Statuses.Contains(400), $"{op} takes input but lists no 400");
            Assert.All(op.Parameters, p => Assert.True(p.Type is not null, $"{op} {p.Name} has no type"));
        }
        Assert.Contains(operations, o => o.ToString() == "GET /api/history" && o.Parameters.Any(p => p.Name == "resolution" && p.Values!.SequenceEqual(["raw", "1m"])));
        Assert.Contains(operations, o => o.ToString() == "POST /traffic_count_attach_device" && o.Body!.Select(f => f.Name).Order().SequenceEqual(["action", "iface"]));
        Assert.Contains(operations, o => o.ToString() == "GET /api/tcp/flows" && o.Parameters.Any(p => p.Name == "top" && p.Minimum == 1));
    }

    /// <summary>The REST endpoints the host maps, built in this process from the same arguments (not run).</summary>
    private static List<string> MappedEndpoints()
    {
        var dir = Directory.CreateTempSubdirectory("rf-openapi-").FullName;
        try
        {
            var nic = Path.Combine(dir, "nic.json");
            File.WriteAllText(nic, """{"wan0":"wan0"}""");
            var app = ServerHost.Build(["--applicationName=routingflow", $"--RoutingFlow:NicFile={nic}", $"--RoutingFlow:DataDirectory={dir}", "--urls=http://127.0.0.1:0"]);
            var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
                .Where(e => e.RoutePattern.RawText is { } raw && ApiDocs.IsApi(raw.TrimStart('/')))
                .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} /{e.RoutePattern.RawText!.Trim('/')}"))
                .Distinct().Order(StringComparer.Ordinal).ToList();
            Assert.NotEmpty(endpoints);
            return endpoints;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
