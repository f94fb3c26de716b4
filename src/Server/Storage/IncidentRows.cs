using System.Text.Json;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage.Entities;

namespace RoutingFlow.Server.Storage;

/// <summary>Incidents to rows and back; the top IPs as JSON arrays of {ip, bps, name} (name null when none was known).</summary>
internal static class IncidentRows
{
    public static void Fill(IncidentRow row, Incident i)
    {
        row.Id = i.Id;
        row.Nic = i.Nic;
        row.Router = i.Router;
        row.StartedAt = i.StartedAt.ToUnixTimeMilliseconds();
        row.EndedAt = i.EndedAt?.ToUnixTimeMilliseconds();
        row.Compare = i.Compare.Name();
        (row.CapacityRx, row.CapacityTx) = (i.CapacityRxBps, i.CapacityTxBps);
        (row.CapacityRxMin, row.CapacityRxMax, row.CapacityTxMin, row.CapacityTxMax) = (i.CapacityRxMinBps, i.CapacityRxMaxBps, i.CapacityTxMinBps, i.CapacityTxMaxBps);
        (row.PeakRx, row.PeakTx, row.PeakUtilization, row.PeakAt) = (i.PeakRxBps, i.PeakTxBps, i.PeakUtilization, i.PeakAt.ToUnixTimeMilliseconds());
        row.TopRx = JsonSerializer.Serialize(i.TopRx.Select(r => new TopIp(r.Ip, r.Bps, r.Name)), JsonSerializerOptions.Web);
        row.TopTx = JsonSerializer.Serialize(i.TopTx.Select(r => new TopIp(r.Ip, r.Bps, r.Name)), JsonSerializerOptions.Web);
        (row.RttAtStart, row.RttAtPeak) = (i.RttAtStartSeconds, i.RttAtPeakSeconds);
        row.OverDirection = i.Over.Name();
        row.Culprits = JsonSerializer.Serialize(i.Culprits, JsonSerializerOptions.Web);
        if (i.Diagnosis is not null) // a later copy without one keeps the stored diagnosis
            row.Diagnosis = JsonSerializer.Serialize(i.Diagnosis, JsonSerializerOptions.Web);
        if (i.Advice is not null)
            row.Advice = JsonSerializer.Serialize(i.Advice, JsonSerializerOptions.Web);
    }

    public static Incident ToIncident(IncidentRow r) => new(
        r.Id, r.Nic, Time(r.StartedAt), r.EndedAt is { } ended ? Time(ended) : null,
        r.Compare == "combined" ? CompareMode.Combined : CompareMode.PerDirection,
        r.CapacityRx, r.CapacityTx, r.CapacityRxMin, r.CapacityRxMax, r.CapacityTxMin, r.CapacityTxMax,
        r.PeakRx, r.PeakTx, r.PeakUtilization, Time(r.PeakAt), Ips(r.TopRx), Ips(r.TopTx), r.RttAtStart, r.RttAtPeak)
    {
        Router = r.Router,
        Over = LoadRule.ParseOver(r.OverDirection),
        Culprits = JsonSerializer.Deserialize<List<Culprit>>(r.Culprits, JsonSerializerOptions.Web) ?? [],
        Diagnosis = r.Diagnosis is null ? null : JsonSerializer.Deserialize<Diagnosis.IncidentDiagnosis>(r.Diagnosis, JsonSerializerOptions.Web),
        Advice = r.Advice is null ? null : JsonSerializer.Deserialize<Advice.AdvicePlan>(r.Advice, JsonSerializerOptions.Web),
    };

    public static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    private static List<IpRate> Ips(string json) =>
        (JsonSerializer.Deserialize<List<TopIp>>(json, JsonSerializerOptions.Web) ?? []).Select(t => new IpRate(t.Ip, t.Bps, t.Name)).ToList();

    private sealed record TopIp(string Ip, double Bps, string? Name = null);
}
