using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;

namespace RoutingFlow.Server.Tests.Advice;

/// <summary>
/// The advice API on the real server: with nothing over, an empty plan in the contract's shape; bad apply bodies get
/// a 400 naming the field and change nothing; a move applied is an override (listed, saved, recorded) until removed.
/// </summary>
public sealed class AdviceApiTests
{
    [Fact]
    public async Task NothingOver_IsAnEmptyPlan_AndAnAppliedMoveIsAnOverrideUntilRemoved()
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

            // Bad bodies: 400 naming the field, nothing applied.
            foreach (var (body, field, message) in new[]
            {
                ("", "moves", "nothing to apply"),
                ("nonsense", "moves", "the body is not JSON"),
                ("""{"moves":[{"target":"printer","to":"wan0"}]}""", "moves[0].target", "moves[0].target 'printer' is not an IP address or a CIDR"),
                ("""{"moves":[{"target":"10.0.0.11","to":"wan9"}]}""", "moves[0].to", "moves[0].to 'wan9' is not a WAN"),
                ("""{"moves":[{"to":"wan0"}]}""", "moves[0].target", "moves[0].target is missing"),
            })
            {
                using var bad = await server.Http.PostAsync("api/advice/apply", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
                await Problems.AssertAsync(bad, System.Net.HttpStatusCode.BadRequest, field, message);
            }
            Assert.Empty(JsonDocument.Parse(await server.Http.GetStringAsync("api/advice/overrides")).RootElement.GetProperty("overrides").EnumerateArray());

            // A move as GET /api/advice lists it: applied, listed, recorded; then removed.
            using var applied = await server.Http.PostAsync("api/advice/apply",
                new StringContent("""{"moves":[{"target":"10.0.0.11","from":"wan1","to":"wan0","rxBps":19000000,"txBps":0}]}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.OK, applied.StatusCode);
            var overrides = JsonDocument.Parse(await server.Http.GetStringAsync("api/advice/overrides")).RootElement.GetProperty("overrides");
            Assert.Equal(("10.0.0.11", "wan0", "127.0.0.1"), (overrides[0].GetProperty("target").GetString(), overrides[0].GetProperty("nic").GetString(), overrides[0].GetProperty("by").GetString()));
            Assert.True(File.Exists(Path.Combine(data, "mapping-overrides.json")));
            using (var removed = await server.Http.DeleteAsync("api/advice/overrides"))
                Assert.Equal(System.Net.HttpStatusCode.OK, removed.StatusCode);
            Assert.Empty(JsonDocument.Parse(await server.Http.GetStringAsync("api/advice/overrides")).RootElement.GetProperty("overrides").EnumerateArray());
            var log = await RoutingFlow.Testing.Waiting.Eventually.WaitAsync<object>(async () =>
            {
                var json = JsonDocument.Parse(await server.Http.GetStringAsync("api/advice/applied")).RootElement.GetProperty("applied").Clone();
                return json.GetArrayLength() == 2 ? json : null;
            }, TimeSpan.FromSeconds(20), "both changes recorded") is JsonElement l ? l : default;
            Assert.Equal("applied by 127.0.0.1: 10.0.0.11 wan1 → wan0", log[0].GetProperty("text").GetString());
            Assert.Equal("1 override(s) removed by 127.0.0.1", log[1].GetProperty("text").GetString());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
