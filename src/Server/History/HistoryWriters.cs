using System.Text.Json;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage;

namespace RoutingFlow.Server.History;

/// <summary>Incidents and history points as JSON (field names are the contract) and as CSV rows.</summary>
public static class HistoryWriters
{
    public static readonly string IncidentHeader = Csv.Row("id", "nic", "state", "startedAt", "endedAt", "compare", "capacityRxBps", "capacityTxBps",
        "capacityRxMinBps", "capacityRxMaxBps", "capacityTxMinBps", "capacityTxMaxBps", "peakRxBps", "peakTxBps", "peakUtilization", "peakAt",
        "rttAtStartSeconds", "rttAtPeakSeconds", "topRx", "topTx", "overDirection", "culprits", "cause", "confidence", "diagnosis", "router");

    public static readonly string PointHeader = Csv.Row("nic", "time", "capacityRxBps", "capacityTxBps", "actualRxBps", "actualTxBps",
        "actualRxMinBps", "actualRxMaxBps", "actualTxMinBps", "actualTxMaxBps", "router");

    public static void Write(Utf8JsonWriter json, Incident i)
    {
        json.WriteStartObject();
        json.WriteNumber("id", i.Id);
        json.WriteString("nic", i.Nic);
        json.WriteString("router", i.Router);
        json.WriteString("state", i.State);
        json.WriteString("startedAt", i.StartedAt.UtcDateTime);
        if (i.EndedAt is { } ended)
            json.WriteString("endedAt", ended.UtcDateTime);
        else
            json.WriteNull("endedAt");
        json.WriteString("compare", i.Compare.Name());
        Number(json, "capacityRxBps", i.CapacityRxBps);
        Number(json, "capacityTxBps", i.CapacityTxBps);
        Number(json, "capacityRxMinBps", i.CapacityRxMinBps);
        Number(json, "capacityRxMaxBps", i.CapacityRxMaxBps);
        Number(json, "capacityTxMinBps", i.CapacityTxMinBps);
        Number(json, "capacityTxMaxBps", i.CapacityTxMaxBps);
        Number(json, "peakRxBps", i.PeakRxBps);
        Number(json, "peakTxBps", i.PeakTxBps);
        Number(json, "peakUtilization", i.PeakUtilization);
        json.WriteString("peakAt", i.PeakAt.UtcDateTime);
        Ips(json, "topRx", i.TopRx);
        Ips(json, "topTx", i.TopTx);
        Number(json, "rttAtStartSeconds", i.RttAtStartSeconds);
        Number(json, "rttAtPeakSeconds", i.RttAtPeakSeconds);
        if (i.Over.Name() is { } over)
            json.WriteString("overDirection", over);
        else
            json.WriteNull("overDirection");
        Culprits(json, i.Culprits);
        Diagnosis(json, i.Diagnosis);
        Advice(json, i.Advice);
        json.WriteEndObject();
    }

    /// <summary><c>advice</c>: the plan made while the incident was open, in <c>GET /api/advice</c>'s shape (null when none).</summary>
    public static void Advice(Utf8JsonWriter json, Advice.AdvicePlan? plan)
    {
        if (plan is null)
        {
            json.WriteNull("advice");
            return;
        }
        json.WriteStartObject("advice");
        json.WriteString("at", plan.At.UtcDateTime);
        json.WriteBoolean("fits", plan.Fits);
        json.WriteString("text", plan.Text);
        json.WriteStartArray("moves");
        foreach (var m in plan.Moves)
        {
            json.WriteStartObject();
            json.WriteString("target", m.Target);
            json.WriteString("from", m.From);
            json.WriteString("to", m.To);
            Number(json, "rxBps", m.RxBps);
            Number(json, "txBps", m.TxBps);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("wans");
        foreach (var w in plan.Wans)
        {
            json.WriteStartObject();
            json.WriteString("nic", w.Nic);
            Number(json, "utilizationBefore", w.UtilizationBefore);
            Number(json, "utilizationAfter", w.UtilizationAfter);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary><c>diagnosis</c>: the cause, its confidence, the sentence and the evidence (null until diagnosed).</summary>
    public static void Diagnosis(Utf8JsonWriter json, Diagnosis.IncidentDiagnosis? d)
    {
        if (d is null)
        {
            json.WriteNull("diagnosis");
            return;
        }
        json.WriteStartObject("diagnosis");
        json.WriteString("cause", d.Cause);
        Number(json, "confidence", d.Confidence);
        json.WriteString("text", d.Text);
        var e = d.Evidence;
        json.WriteStartObject("baseline");
        json.WriteString("from", e.Baseline.From.UtcDateTime);
        json.WriteString("to", e.Baseline.To.UtcDateTime);
        Number(json, "rxBps", e.Baseline.RxBps);
        Number(json, "txBps", e.Baseline.TxBps);
        json.WriteEndObject();
        Rates(json, "during", e.During);
        Rates(json, "capacityBefore", e.CapacityBefore);
        Rates(json, "capacityDuring", e.CapacityDuring);
        Number(json, "lossBefore", e.LossBefore);
        Number(json, "lossDuring", e.LossDuring);
        Number(json, "rttBeforeSeconds", e.RttBeforeSeconds);
        Number(json, "rttDuringSeconds", e.RttDuringSeconds);
        json.WriteStartArray("growth");
        foreach (var g in e.Growth)
        {
            json.WriteStartObject();
            json.WriteString("ip", g.Ip);
            json.WriteString("name", g.Name);
            Number(json, "bps", g.Bps);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Rates(Utf8JsonWriter json, string name, Diagnosis.DirectionRates rates)
    {
        json.WriteStartObject(name);
        Number(json, "rxBps", rates.RxBps);
        Number(json, "txBps", rates.TxBps);
        json.WriteEndObject();
    }

    /// <summary><c>culprits</c>: [{ip, name, direction, bps, share}], the over direction's first.</summary>
    public static void Culprits(Utf8JsonWriter json, IReadOnlyList<Culprit> culprits)
    {
        json.WriteStartArray("culprits");
        foreach (var c in culprits)
        {
            json.WriteStartObject();
            json.WriteString("ip", c.Ip);
            if (c.Name is null)
                json.WriteNull("name");
            else
                json.WriteString("name", c.Name);
            json.WriteString("direction", c.Direction);
            Number(json, "bps", c.Bps);
            Number(json, "share", c.Share);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    public static string CsvRow(Incident i) => Csv.Row(
        i.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Csv.Field(i.Nic), i.State, Csv.Time(i.StartedAt), Csv.Time(i.EndedAt), i.Compare.Name(),
        Csv.Number(i.CapacityRxBps), Csv.Number(i.CapacityTxBps), Csv.Number(i.CapacityRxMinBps), Csv.Number(i.CapacityRxMaxBps),
        Csv.Number(i.CapacityTxMinBps), Csv.Number(i.CapacityTxMaxBps), Csv.Number(i.PeakRxBps), Csv.Number(i.PeakTxBps),
        Csv.Number(i.PeakUtilization), Csv.Time(i.PeakAt), Csv.Number(i.RttAtStartSeconds), Csv.Number(i.RttAtPeakSeconds),
        Csv.Field(IpList(i.TopRx)), Csv.Field(IpList(i.TopTx)), i.Over.Name() ?? "",
        Csv.Field(string.Join(';', i.Culprits.Select(c => $"{c.Ip} {c.Direction} {Csv.Number(Math.Round(c.Bps))} {Csv.Number(Math.Round(c.Share, 4))}"))),
        i.Diagnosis?.Cause ?? "", Csv.Number(i.Diagnosis?.Confidence), Csv.Field(i.Diagnosis?.Text), Csv.Field(i.Router));

    public static void Write(Utf8JsonWriter json, HistoryPoint p)
    {
        json.WriteStartObject();
        json.WriteString("nic", p.Nic);
        json.WriteString("router", p.Router);
        json.WriteString("time", p.Time.UtcDateTime);
        Number(json, "capacityRxBps", p.CapacityRxBps);
        Number(json, "capacityTxBps", p.CapacityTxBps);
        Number(json, "actualRxBps", p.ActualRxBps);
        Number(json, "actualTxBps", p.ActualTxBps);
        if (p.ActualRxMinBps is not null)
        {
            Number(json, "actualRxMinBps", p.ActualRxMinBps);
            Number(json, "actualRxMaxBps", p.ActualRxMaxBps);
            Number(json, "actualTxMinBps", p.ActualTxMinBps);
            Number(json, "actualTxMaxBps", p.ActualTxMaxBps);
        }
        json.WriteEndObject();
    }

    /// <summary>An event: <c>{time, nic, kind, text, oldValue, newValue}</c> (nic null: every WAN).</summary>
    public static void Write(Utf8JsonWriter json, HistoryEvent e)
    {
        json.WriteStartObject();
        json.WriteString("time", e.Time.UtcDateTime);
        json.WriteString("nic", e.Nic);
        json.WriteString("kind", e.Kind);
        json.WriteString("text", e.Text);
        Number(json, "oldValue", e.OldValue);
        Number(json, "newValue", e.NewValue);
        json.WriteEndObject();
    }

    public static string CsvRow(HistoryPoint p) => Csv.Row(Csv.Field(p.Nic), Csv.Time(p.Time), Csv.Number(p.CapacityRxBps), Csv.Number(p.CapacityTxBps),
        Csv.Number(p.ActualRxBps), Csv.Number(p.ActualTxBps), Csv.Number(p.ActualRxMinBps), Csv.Number(p.ActualRxMaxBps),
        Csv.Number(p.ActualTxMinBps), Csv.Number(p.ActualTxMaxBps), Csv.Field(p.Router));

    /// <summary>The top IPs in one CSV field: <c>192.168.1.10 29000000;192.168.1.11 1000000</c>.</summary>
    private static string IpList(IReadOnlyList<IpRate> ips) => string.Join(';', ips.Select(ip => $"{ip.Ip} {Csv.Number(ip.Bps)}"));

    private static void Ips(Utf8JsonWriter json, string name, IReadOnlyList<IpRate> ips)
    {
        json.WriteStartArray(name);
        foreach (var ip in ips)
        {
            json.WriteStartObject();
            json.WriteString("ip", ip.Ip);
            Number(json, "bps", ip.Bps);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter json, string name, double? value) => Hosting.JsonNumbers.Write(json, name, value);
}
