namespace RoutingFlow.Server.Storage.Entities;

// Rows as stored. Times are Unix milliseconds (UTC): compact, ordered, and indexable by SQLite as integers.
// These types stay in Storage: the API and the pages get records of their own.

/// <summary>One WAN at one second: capacity (null: unknown) and actual traffic, bits/s.</summary>
public sealed class WanSampleRow
{
    public long Id { get; set; }

    /// <summary>The router: empty for this one's own, a watched router's label (the fleet monitor's) otherwise.</summary>
    public string Router { get; set; } = "";

    public string Nic { get; set; } = "";

    public long Time { get; set; }

    public double? CapacityRx { get; set; }

    public double? CapacityTx { get; set; }

    public double ActualRx { get; set; }

    public double ActualTx { get; set; }

    /// <summary>TCP data segments the captures saw on this WAN in this sample's interval (null: no TCP analysis).</summary>
    public long? TcpSegments { get; set; }

    /// <summary>Of those, missing (lost before the capture point).</summary>
    public long? TcpMissing { get; set; }

    /// <summary>Of those, retransmitted (duplicates and out-of-order).</summary>
    public long? TcpRetransmitted { get; set; }
}

/// <summary>One WAN over one minute: min/avg/max of each series.</summary>
public sealed class WanRollupRow
{
    /// <summary>The router: empty for this one's own, a watched router's label (the fleet monitor's) otherwise.</summary>
    public string Router { get; set; } = "";

    public string Nic { get; set; } = "";

    public long Minute { get; set; }

    public int Samples { get; set; }

    public double? CapacityRxMin { get; set; }

    public double? CapacityRxAvg { get; set; }

    public double? CapacityRxMax { get; set; }

    public double? CapacityTxMin { get; set; }

    public double? CapacityTxAvg { get; set; }

    public double? CapacityTxMax { get; set; }

    public double ActualRxMin { get; set; }

    public double ActualRxAvg { get; set; }

    public double ActualRxMax { get; set; }

    public double ActualTxMin { get; set; }

    public double ActualTxAvg { get; set; }

    public double ActualTxMax { get; set; }
}

/// <summary>Bytes of one of a WAN's busiest IPs over one minute.</summary>
public sealed class IpMinuteRow
{
    /// <summary>The router: empty for this one's own, a watched router's label (the fleet monitor's) otherwise.</summary>
    public string Router { get; set; } = "";

    public string Nic { get; set; } = "";

    public long Minute { get; set; }

    public string Ip { get; set; } = "";

    public long RxBytes { get; set; }

    public long TxBytes { get; set; }

    /// <summary>The name DNS or TLS gave the IP at that minute, if any (kept so that "who was it" has an answer later).</summary>
    public string? Name { get; set; }
}

/// <summary>An overload incident; the top IPs as JSON arrays of {ip, bps}.</summary>
public sealed class IncidentRow
{
    public long Id { get; set; }

    public string Nic { get; set; } = "";

    /// <summary>The router whose WAN it was: empty for this router's own, the fleet's router label for a watched one.</summary>
    public string Router { get; set; } = "";

    public long StartedAt { get; set; }

    public long? EndedAt { get; set; }

    public string Compare { get; set; } = "";

    public double? CapacityRx { get; set; }

    public double? CapacityTx { get; set; }

    public double? CapacityRxMin { get; set; }

    public double? CapacityRxMax { get; set; }

    public double? CapacityTxMin { get; set; }

    public double? CapacityTxMax { get; set; }

    public double PeakRx { get; set; }

    public double PeakTx { get; set; }

    public double PeakUtilization { get; set; }

    public long PeakAt { get; set; }

    public string TopRx { get; set; } = "[]";

    public string TopTx { get; set; } = "[]";

    /// <summary><c>rx</c>, <c>tx</c> or <c>both</c>; null for incidents stored before it was recorded.</summary>
    public string? OverDirection { get; set; }

    /// <summary>JSON array of {ip, name, direction, bps, share}, the over direction's first.</summary>
    public string Culprits { get; set; } = "[]";

    /// <summary>JSON of the incident's diagnosis (null until diagnosed).</summary>
    public string? Diagnosis { get; set; }

    /// <summary>JSON of the rebalancing plan made while the incident was open (null when none was).</summary>
    public string? Advice { get; set; }

    public double? RttAtStart { get; set; }

    public double? RttAtPeak { get; set; }
}

/// <summary>One probe of one target on one interface.</summary>
public sealed class ProbeResultRow
{
    public long Id { get; set; }

    public long Time { get; set; }

    public string Interface { get; set; } = "";

    public string Server { get; set; } = "";

    public string Method { get; set; } = "";

    public double? EstimateBps { get; set; }

    public double? RttSeconds { get; set; }

    public long TransferredBytes { get; set; }

    public string? Failure { get; set; }

    public string? Error { get; set; }
}

/// <summary>
/// Something an operator changed that explains a step in the history (kind <c>correction</c>: the correction factor
/// set from <see cref="OldValue"/> to <see cref="NewValue"/>); <see cref="Nic"/> null: every WAN.
/// </summary>
public sealed class EventRow
{
    public long Id { get; set; }

    public long Time { get; set; }

    public string? Nic { get; set; }

    public string Kind { get; set; } = "";

    public string Text { get; set; } = "";

    public double? OldValue { get; set; }

    public double? NewValue { get; set; }
}

/// <summary>A persisted setting (the correction factor).</summary>
public sealed class SettingRow
{
    public string Key { get; set; } = "";

    public string Value { get; set; } = "";

    public long Updated { get; set; }
}

/// <summary>A webhook delivery not yet sent or given up (kept so that a crash or restart does not lose it).</summary>
public sealed class PendingAlertRow
{
    public string Key { get; set; } = "";

    public int Webhook { get; set; }

    /// <summary>A digest of the webhook's URL when queued: not sent to another URL after a change.</summary>
    public string UrlTag { get; set; } = "";

    /// <summary>The JSON body exactly as posted.</summary>
    public string Body { get; set; } = "";

    public string Event { get; set; } = "";

    public long IncidentId { get; set; }

    public long FirstAttempt { get; set; }
}
