using Prometheus;

namespace RoutingFlow.Server.Monitoring;

/// <summary>
/// Each WAN's load, refreshed before each scrape: actual rates (without the probes' own), utilisation (no series
/// while the capacity is unknown), overloaded 0/1, and incidents opened.
/// </summary>
public sealed class MonitorMetrics(IMetricFactory factory)
{
    private readonly Gauge _actual = factory.CreateGauge("routingflow_wan_actual_bps", "Actual traffic of a WAN's IPs per direction, without the capacity probes' own bytes, bits per second.", ["nic", "direction"]);
    private readonly Gauge _utilization = factory.CreateGauge("routingflow_wan_utilization_ratio", "Actual traffic / capacity of a WAN under the compare rule (the larger direction per-direction); absent while the capacity is unknown.", ["nic"]);
    private readonly Gauge _overloaded = factory.CreateGauge("routingflow_wan_overloaded", "1 while a WAN's utilisation is above the threshold, else 0.", ["nic"]);
    private readonly Counter _incidents = factory.CreateCounter("routingflow_overload_incidents_total", "Overload incidents opened on a WAN (a reopened one is not counted again).", ["nic"]);

    public void Update(MonitorState state)
    {
        foreach (var wan in state.Current.Wans)
        {
            _actual.WithLabels(wan.Nic, "rx").Set(wan.Reading.ActualRxBps);
            _actual.WithLabels(wan.Nic, "tx").Set(wan.Reading.ActualTxBps);
            if (wan.Load.Utilization is { } utilization)
                _utilization.WithLabels(wan.Nic).Set(utilization);
            else
                _utilization.RemoveLabelled(wan.Nic);
            _overloaded.WithLabels(wan.Nic).Set(wan.Load.State == LoadState.Overloaded ? 1 : 0);
            _incidents.WithLabels(wan.Nic).IncTo(state.OpenedCount(wan.Nic));
        }
    }
}
