using System.Text;
using RoutingFlow.Server.History;
using RoutingFlow.Server.Hosting;
using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Server.Fleet;

/// <summary>
/// <c>GET /api/fleet?router&amp;state&amp;format=json|csv</c>: every watched router and its WANs at the fleet monitor's
/// last check (JSON: <c>{"routers":[{"router","lastSampleAt","state","wans":[{"nic","state","utilization",
/// "capacityRxBps","capacityTxBps","rxBps","txBps","incident"}]}]}</c>; CSV: one row per router and WAN).
/// </summary>
public static class FleetApi
{
    public static readonly string CsvHeader = Csv.Row("router", "nic", "state", "reason", "utilization", "capacityRxBps", "capacityTxBps", "rxBps", "txBps",
        "lastSampleAt", "incidentId", "incidentStartedAt", "topRx", "topTx");

    private static readonly string[] States = ["ok", "full", "overloaded", "unknown"];

    public static void MapFleetApi(this IEndpointRouteBuilder app) => app.MapGet("/api/fleet", Get)
        .Query("state", ParamKind.Choice, "only routers with a WAN in this state", values: States)
        .Query("router", ParamKind.Text, "only this router").Format()
        .Produces<FleetDto>(200).Produces<string>(200, "text/csv").Validated()
        .WithDescription("The watched routers and their WANs as the last fleet check saw them.");

    public static IResult Get(HttpContext context, FleetState fleet)
    {
        var query = context.Request.Query;
        var format = query.TryGetValue("format", out var f) ? f.ToString() : "json";
        if (format is not ("json" or "csv"))
            return ApiProblems.Invalid("format", $"format '{format}' is not json or csv");
        var state = query.TryGetValue("state", out var s) ? s.ToString() : null;
        if (state is not null && !States.Contains(state))
            return ApiProblems.Invalid("state", $"state '{state}' is not {string.Join(", ", States)}");
        var router = query.TryGetValue("router", out var r) ? r.ToString() : null;
        var view = fleet.Current;
        var routers = view.Routers.Where(x => (router is null || x.Router == router) && (state is null || x.Wans.Any(w => w.State == state))).ToList();
        if (format == "csv")
            return TypedResults.Text(Rows(routers), "text/csv; charset=utf-8", Encoding.UTF8);
        return TypedResults.Ok(new FleetDto(view.State, view.Error, view.At == DateTimeOffset.MinValue ? null : view.At, routers.Select(Router).ToList()));
    }

    private static string Rows(IEnumerable<FleetRouterView> routers)
    {
        var text = new StringBuilder(CsvHeader);
        foreach (var router in routers)
        {
            foreach (var w in router.Wans)
            {
                text.Append(Csv.Row(Csv.Field(router.Router), Csv.Field(w.Nic), w.State, Csv.Field(w.Reason), Csv.Number(w.Utilization), Csv.Number(w.CapacityRxBps),
                    Csv.Number(w.CapacityTxBps), Csv.Number(w.RxBps), Csv.Number(w.TxBps), Csv.Time(w.LastSampleAt),
                    w.Incident?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", Csv.Time(w.Incident?.StartedAt),
                    Csv.Field(string.Join(';', w.TopRx.Select(i => $"{i.Ip} {Csv.Number(Math.Round(i.Bps))}"))),
                    Csv.Field(string.Join(';', w.TopTx.Select(i => $"{i.Ip} {Csv.Number(Math.Round(i.Bps))}")))));
            }
        }
        return text.ToString();
    }

    private static FleetRouterDto Router(FleetRouterView r) => new(r.Router, r.LastSampleAt, r.State, r.Wans.Select(Wan).ToList());

    private static FleetWanDto Wan(FleetWanView w) => new(w.Nic, w.State, w.Reason, w.Utilization, w.CapacityRxBps, w.CapacityTxBps, w.RxBps, w.TxBps,
        w.LastSampleAt, w.Incident is { } i ? Incident(i) : null, Rates(w.TopRx), Rates(w.TopTx));

    /// <summary>An open incident as the fleet page and API name it.</summary>
    public static FleetIncidentDto Incident(Incident i) => new(i.Id, i.StartedAt, i.PeakUtilization, i.Over.Name(),
        i.Culprits.Select(c => new Status.CulpritDto(c.Ip, c.Name, c.Direction, c.Bps, c.Share)).ToList());

    private static List<Status.IpRateDto> Rates(IReadOnlyList<IpRate> rates) => rates.Select(r => new Status.IpRateDto(r.Ip, r.Bps, r.Name)).ToList();
}

public sealed record FleetDto(string State, string? Error, DateTimeOffset? At, IReadOnlyList<FleetRouterDto> Routers);

public sealed record FleetRouterDto(string Router, DateTimeOffset? LastSampleAt, string State, IReadOnlyList<FleetWanDto> Wans);

public sealed record FleetWanDto(string Nic, string State, string? Reason, double? Utilization, double? CapacityRxBps, double? CapacityTxBps, double? RxBps, double? TxBps,
    DateTimeOffset? LastSampleAt, FleetIncidentDto? Incident, IReadOnlyList<Status.IpRateDto> TopRx, IReadOnlyList<Status.IpRateDto> TopTx);

public sealed record FleetIncidentDto(long Id, DateTimeOffset StartedAt, double PeakUtilization, string? OverDirection, IReadOnlyList<Status.CulpritDto> Culprits);

/// <summary>/status's <c>fleet</c>: off, starting, ok or failing (the error), the last check and how long its queries took, the routers and WANs by state.</summary>
public sealed record FleetStatusDto(string State, string? Url, string? Error, DateTimeOffset? LastCheck, double QuerySeconds, int Routers, int Wans, int Overloaded, int Unknown);
