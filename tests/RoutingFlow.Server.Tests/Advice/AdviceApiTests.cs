using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;

namespace RoutingFlow.Server.Tests.Advice;

/// <summary>GET /api/advice on the real server: with nothing over, an empty plan in the contract's shape.</summary>
public sealed class AdviceApiTests
{
    [Fact]
    public async Task NothingOver_IsAnEmptyPlan_ForEveryWan()
    {
        var data = Directory.CreateTempSubdirectory("rf-data-").FullName;
        try
        {
            await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"nope0","wan1":"nope1"}""", [$"--RoutingFlow:DataDirectory={data}"]);
            var advice = await RoutingFlow.Testing.Waiting.Eventually.WaitAsync<object>(async () =>
            {
                var json = JsonDocument.Parse(await server.Http.GetStringAsync("api/advice")).RootElement.Clone();
                return json.GetProperty("wans").GetArrayLength() == 2 ? json : null;
            }, TimeSpan.FromSeconds(20), "the monitor's first tick") is JsonElement e ? e : default;

            Assert.True(advice.GetProperty("fits").GetBoolean());
            Assert.Equal("no WAN is over its capacity", advice.GetProperty("text").GetString());
            Assert.Empty(advice.GetProperty("moves").EnumerateArray());
            Assert.Equal(["wan0", "wan1"], advice.GetProperty("wans").EnumerateArray().Select(w => w.GetProperty("nic").GetString()));
            Assert.All(advice.GetProperty("wans").EnumerateArray(), w => Assert.Equal(JsonValueKind.Null, w.GetProperty("utilizationBefore").ValueKind)); // no capacity yet
            Assert.Equal(JsonValueKind.String, advice.GetProperty("at").ValueKind);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
