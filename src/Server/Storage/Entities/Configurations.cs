using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RoutingFlow.Server.Storage.Entities;

internal sealed class WanSampleConfiguration : IEntityTypeConfiguration<WanSampleRow>
{
    public void Configure(EntityTypeBuilder<WanSampleRow> b)
    {
        b.ToTable("wan_samples");
        b.HasIndex(s => new { s.Nic, s.Time });
        b.HasIndex(s => new { s.Router, s.Nic, s.Time }); // a watched router's WAN
        b.HasIndex(s => s.Time);
    }
}

internal sealed class WanRollupConfiguration : IEntityTypeConfiguration<WanRollupRow>
{
    public void Configure(EntityTypeBuilder<WanRollupRow> b)
    {
        b.ToTable("wan_rollups");
        b.HasKey(r => new { r.Router, r.Nic, r.Minute });
        b.HasIndex(r => r.Minute);
    }
}

internal sealed class IpMinuteConfiguration : IEntityTypeConfiguration<IpMinuteRow>
{
    public void Configure(EntityTypeBuilder<IpMinuteRow> b)
    {
        b.ToTable("ip_minutes");
        b.HasKey(r => new { r.Router, r.Nic, r.Minute, r.Ip });
        b.HasIndex(r => r.Minute);
        b.HasIndex(r => new { r.Ip, r.Minute }); // a host's page
    }
}

internal sealed class IncidentConfiguration : IEntityTypeConfiguration<IncidentRow>
{
    public void Configure(EntityTypeBuilder<IncidentRow> b)
    {
        b.ToTable("incidents");
        b.Property(i => i.Id).ValueGeneratedNever(); // the monitor numbers incidents
        b.HasIndex(i => i.StartedAt);
        b.HasIndex(i => new { i.Nic, i.StartedAt });
        b.HasIndex(i => new { i.Router, i.StartedAt });
    }
}

internal sealed class ProbeResultConfiguration : IEntityTypeConfiguration<ProbeResultRow>
{
    public void Configure(EntityTypeBuilder<ProbeResultRow> b)
    {
        b.ToTable("probe_results");
        b.HasIndex(r => r.Time);
    }
}

internal sealed class EventConfiguration : IEntityTypeConfiguration<EventRow>
{
    public void Configure(EntityTypeBuilder<EventRow> b)
    {
        b.ToTable("events");
        b.HasIndex(e => e.Time);
    }
}

internal sealed class SettingConfiguration : IEntityTypeConfiguration<SettingRow>
{
    public void Configure(EntityTypeBuilder<SettingRow> b)
    {
        b.ToTable("settings");
        b.HasKey(s => s.Key);
    }
}

internal sealed class PendingAlertConfiguration : IEntityTypeConfiguration<PendingAlertRow>
{
    public void Configure(EntityTypeBuilder<PendingAlertRow> b)
    {
        b.ToTable("pending_alerts");
        b.HasKey(a => a.Key);
        b.HasIndex(a => a.FirstAttempt);
    }
}
