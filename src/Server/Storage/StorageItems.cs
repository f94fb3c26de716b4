using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage.Entities;

namespace RoutingFlow.Server.Storage;

/// <summary>What waits in the write buffer: rows to insert, incidents to insert or update, a setting to keep.</summary>
public abstract record StorageItem;

internal sealed record SampleItem(WanSampleRow Row) : StorageItem;

internal sealed record RollupItem(WanRollupRow Row) : StorageItem;

internal sealed record IpMinutesItem(string Router, string Nic, long Minute, IReadOnlyList<IpMinuteRow> Rows) : StorageItem;

internal sealed record IncidentItem(Incident Incident) : StorageItem;

internal sealed record ProbeItem(ProbeResultRow Row) : StorageItem;

public sealed record SettingItem(string Key, string Value, long Updated) : StorageItem;

internal sealed record EventItem(EventRow Row) : StorageItem;

internal sealed record PendingAlertItem(PendingAlertRow Row) : StorageItem;

/// <summary>A webhook delivery done with: its row goes (or is never written, when it is still in the same batch).</summary>
internal sealed record PendingAlertDoneItem(string Key) : StorageItem;
