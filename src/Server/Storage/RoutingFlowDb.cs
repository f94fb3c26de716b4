using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using RoutingFlow.Server.Storage.Entities;

namespace RoutingFlow.Server.Storage;

/// <summary>
/// The history. Created through <c>IDbContextFactory</c> (one per unit of work; Blazor circuits never share one). This
/// type is SQLite's (its migrations in Migrations/); <see cref="PostgresRoutingFlowDb"/> is the same model with
/// PostgreSQL's migrations (Migrations/Postgres).
/// </summary>
public class RoutingFlowDb : DbContext
{
    public RoutingFlowDb(DbContextOptions<RoutingFlowDb> options)
        : base(options)
    {
    }

    protected RoutingFlowDb(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<WanSampleRow> WanSamples => Set<WanSampleRow>();

    public DbSet<WanRollupRow> WanRollups => Set<WanRollupRow>();

    public DbSet<IpMinuteRow> IpMinutes => Set<IpMinuteRow>();

    public DbSet<IncidentRow> Incidents => Set<IncidentRow>();

    public DbSet<ProbeResultRow> ProbeResults => Set<ProbeResultRow>();

    public DbSet<SettingRow> Settings => Set<SettingRow>();

    public DbSet<EventRow> Events => Set<EventRow>();

    public DbSet<PendingAlertRow> PendingAlerts => Set<PendingAlertRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RoutingFlowDb).Assembly);
}

/// <summary>
/// The history in PostgreSQL (<c>Storage:Provider=postgres</c>): the same model, its own migrations, and a sequence
/// that hands each server blocks of incident ids (<see cref="IdBlock"/> at a time), so that several servers writing to
/// one database never number two incidents alike.
/// </summary>
public sealed class PostgresRoutingFlowDb(DbContextOptions<PostgresRoutingFlowDb> options) : RoutingFlowDb(options)
{
    public const string IdBlocks = "incident_id_blocks";
    public const int IdBlock = 1000;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.HasSequence<long>(IdBlocks).StartsAt(IdBlock).IncrementsBy(IdBlock);
    }
}

/// <summary>For <c>dotnet ef migrations add … --context PostgresRoutingFlowDb</c>: no server is contacted to generate a migration.</summary>
internal sealed class PostgresDesignTimeDbFactory : IDesignTimeDbContextFactory<PostgresRoutingFlowDb>
{
    public PostgresRoutingFlowDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresRoutingFlowDb>().UseNpgsql("Host=localhost;Database=design").Options);
}

/// <summary>For <c>dotnet ef migrations add</c>: a context on a scratch file.</summary>
internal sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<RoutingFlowDb>
{
    public RoutingFlowDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<RoutingFlowDb>().UseSqlite("Data Source=design.db").Options);
}
