using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Configuration;

namespace RoutingFlow.Server.Diagnosis;

/// <summary><c>RoutingFlow:Diagnosis</c>: when an incident's cause is demand, capacity, both or unclear.</summary>
public sealed class DiagnosisOptions : IFeatureOptions
{
    public static string Section => "Diagnosis";

    /// <summary>The window before an incident whose median traffic, capacity, loss and RTT are its baseline.</summary>
    public TimeSpan Baseline { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Demand: the over direction's traffic during the incident at least this many times its baseline.</summary>
    public double DemandRise { get; set; } = 1.5;

    /// <summary>Capacity: the over direction's capacity during the incident at most this share of the baseline's (0.8: fell by 20%).</summary>
    public double CapacityHeld { get; set; } = 0.8;

    /// <summary>Capacity (health): the loss ratio rose by at least this much (0.01: one point).</summary>
    public double LossRise { get; set; } = 0.01;

    /// <summary>Capacity (health): the probes' RTT during at least this many times the baseline's.</summary>
    public double RttRise { get; set; } = 2.0;

    /// <summary>How many hosts the growth list names.</summary>
    public int GrowthHosts { get; set; } = 5;

    public void Validate(RoutingFlowOptions core, List<string> errors)
    {
        ConfigChecks.Span(errors, "Diagnosis:Baseline", Baseline, TimeSpan.FromMinutes(1), TimeSpan.FromHours(24));
        ConfigChecks.Range(errors, "Diagnosis:DemandRise", DemandRise, 1, 100, minExclusive: true);
        ConfigChecks.Range(errors, "Diagnosis:CapacityHeld", CapacityHeld, 0, 1, minExclusive: true);
        ConfigChecks.Range(errors, "Diagnosis:LossRise", LossRise, 0, 1, minExclusive: true);
        ConfigChecks.Range(errors, "Diagnosis:RttRise", RttRise, 1, 100, minExclusive: true);
        ConfigChecks.Range(errors, "Diagnosis:GrowthHosts", GrowthHosts, 0, 50, "");
    }
}
