using RoutingFlow.Testing.Processes;

namespace RoutingFlow.Testing.Lab;

/// <summary>
/// A throw-away PostgreSQL cluster (Debian's postgresql: initdb and pg_ctl run as the postgres user) in a temporary
/// directory on a free loopback port, trusting local connections; stopped and deleted on dispose. fsync is off (a
/// test's data need not survive the machine), synchronous commit stays on: a stop as a crash must lose no commit.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin;

    private PostgresServer(string dir, string bin, int port) => (_dir, _bin, Port) = (dir, bin, port);

    public int Port { get; }

    /// <summary>A connection string for <paramref name="database"/> (created by the first migration when missing).</summary>
    public string ConnectionString(string database = "routingflow") => $"Host=127.0.0.1;Port={Port};Database={database};Username=postgres;Password=unused-with-trust";

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderDescending(StringComparer.Ordinal).Select(d => Path.Combine(d, "bin"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql; ./test.sh does)");
        var dir = Directory.CreateTempSubdirectory("rf-postgres-").FullName;
        await Run("chown", "postgres:postgres", dir);
        var port = PrometheusServer.FreePort();
        var server = new PostgresServer(dir, bin, port);
        try
        {
            await server.AsPostgres("initdb", "-D", Path.Combine(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
            await server.AsPostgres("pg_ctl", "-D", Path.Combine(dir, "data"), "-l", Path.Combine(dir, "log"), "-w", "-t", "60",
                "-o", $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server at once (as a crash would), keeping its data; <see cref="StartAgainAsync"/> brings it back.</summary>
    public Task StopAsync() => AsPostgres("pg_ctl", "-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop");

    public Task StartAgainAsync() => AsPostgres("pg_ctl", "-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "log"), "-w", "-t", "60",
        "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start");

    /// <summary>Runs SQL through psql; returns its output (unaligned, tuples only).</summary>
    public async Task<string> SqlAsync(string database, string sql)
    {
        var result = await ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, "psql"), "-h", "127.0.0.1", "-p", $"{Port}", "-d", database, "-At", "-c", sql],
            TimeSpan.FromSeconds(30));
        return result.ExitCode == 0 ? result.StandardOutput : throw new InvalidOperationException($"psql failed: {result.StandardError}");
    }

    private async Task AsPostgres(string tool, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments], TimeSpan.FromSeconds(90));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{tool} failed ({result.ExitCode}): {result.StandardError}{result.StandardOutput}");
    }

    private static async Task Run(string command, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(command, arguments, TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{command} failed: {result.StandardError}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(_dir, "data", "postmaster.pid")))
                await StopAsync();
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
