using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace RoutingFlow.Server.Storage;

/// <summary>
/// Every connection: write-ahead logging (readers never block the writer; a crash loses at most the last
/// transaction), synchronous=NORMAL (safe with WAL), and a busy timeout so a briefly locked file waits instead of
/// failing. A read-only connection (EF opens one to see whether the database exists) only gets the timeout:
/// switching its journal mode would be a write.
/// </summary>
internal sealed class SqlitePragmas(TimeSpan busyTimeout) : DbConnectionInterceptor
{
    private readonly string _timeout = $"PRAGMA busy_timeout={(long)busyTimeout.TotalMilliseconds};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private string Pragmas(DbConnection connection) =>
        new SqliteConnectionStringBuilder(connection.ConnectionString).Mode == SqliteOpenMode.ReadOnly
            ? _timeout
            : _timeout + " PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
}
