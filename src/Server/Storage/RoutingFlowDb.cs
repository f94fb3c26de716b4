using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using RoutingFlow.Server.Storage.Entities;

namespace RoutingFlow.Server.Storage;

/// <summary>The SQLite history. Created through <c>IDbContextFactory</c> (one per unit of work; Blazor circuits never share one).</summary>
public sealed class RoutingFlowDb(DbContextOptions<RoutingFlowDb> options) : DbContext(options)
{
    public DbSet<WanSampleRow> WanSamples => Set<WanSampleRow>();

    public DbSet<WanRollupRow> WanRollups => Set<WanRollupRow>();

    public DbSet<IpMinuteRow> IpMinutes => Set<IpMinuteRow>();

    public DbSet<IncidentRow> Incidents => Set<IncidentRow>();

    public DbSet<ProbeResultRow> ProbeResults => Set<ProbeResultRow>();

    public DbSet<SettingRow> Settings => Set<SettingRow>();

    public DbSet<EventRow> Events => Set<EventRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RoutingFlowDb).Assembly);
}

/// <summary>For <c>dotnet ef migrations add</c>: a context on a scratch file.</summary>
internal sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<RoutingFlowDb>
{
    public RoutingFlowDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<RoutingFlowDb>().UseSqlite("Data Source=design.db").Options);
}
