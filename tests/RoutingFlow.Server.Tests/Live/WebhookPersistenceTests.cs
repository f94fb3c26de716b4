using System.Net;
using Microsoft.Data.Sqlite;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Http;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// Webhook deliveries outlive crashes (issue 28): the real server, its webhook receiver down, a threshold rule
/// firing at once; killed with SIGKILL ten times at random moments, its database opens cleanly every time and keeps
/// the undelivered alerts; with the receiver up, the next run sends every kept delivery, byte for byte as first
/// queued, and keeps none.
/// </summary>
public sealed class WebhookPersistenceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task UndeliveredAlerts_OutliveTenSigkills_AndAreSentOnceTheReceiverIsBack()
    {
        var data = Directory.CreateTempSubdirectory("rf-hooks-").FullName;
        var port = PrometheusServer.FreePort(); // nothing listens there yet: the receiver is down
        string[] settings =
        [
            $"--RoutingFlow:DataDirectory={data}", $"--RoutingFlow:Alerts:Webhooks:0=http://127.0.0.1:{port}/webhook", "--RoutingFlow:Alerts:RetryFor=01:00:00",
            "--RoutingFlow:Alerts:Rules:0:Name=always", "--RoutingFlow:Alerts:Rules:0:Metric=routingflow_capture_up", "--RoutingFlow:Alerts:Rules:0:Op=>",
            "--RoutingFlow:Alerts:Rules:0:Value=-1", "--RoutingFlow:Alerts:EvaluationInterval=00:00:01",
        ];
        var database = Path.Combine(data, "routingflow.db");
        try
        {
            var random = new Random(28);
            for (var kill = 0; kill < 10; kill++)
            {
                var server = await RoutingFlowServer.StartAsync("""{"wan0":"wan0"}""", settings);
                if (kill == 0)
                    await Eventually.WaitAsync(async () => (await PendingAsync(database)).Count > 0, Wait, "the first alert kept in the database");
                else
                    await Task.Delay(random.Next(200, 3000)); // a random moment of the run: starting, firing, flushing
                await server.KillAsync();
                Assert.Equal("ok", await ScalarAsync(database, "PRAGMA integrity_check"));
            }
            var kept = await PendingAsync(database);
            Assert.NotEmpty(kept);

            await using var receiver = ProbeTestServer.Start(new IPEndPoint(IPAddress.Loopback, port));
            await using var last = await RoutingFlowServer.StartAsync("""{"wan0":"wan0"}""", settings);
            await Eventually.WaitAsync(async () => (await PendingAsync(database)).Count == 0 && kept.All(receiver.Webhooks.Contains), Wait,
                $"the {kept.Count} kept deliveries sent and none kept");
            Assert.Contains("undelivered webhook deliveries from the previous run queued again", last.Output, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The bodies of the deliveries the database keeps, oldest first.</summary>
    internal static async Task<List<string>> PendingAsync(string database)
    {
        if (!File.Exists(database))
            return [];
        await using var db = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT Body FROM pending_alerts ORDER BY FirstAttempt, Key";
        var bodies = new List<string>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                bodies.Add(reader.GetString(0));
        }
        catch (SqliteException e) when (e.Message.Contains("no such table", StringComparison.Ordinal))
        {
        }
        return bodies;
    }

    internal static async Task<string?> ScalarAsync(string database, string sql)
    {
        await using var db = new SqliteConnection($"Data Source={database};Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())?.ToString();
    }
}
