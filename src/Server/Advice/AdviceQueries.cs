using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Traffic;

namespace RoutingFlow.Server.Advice;

/// <summary>The current plan: the monitor's latest reading of each WAN and the hosts' current rates on each.</summary>
public sealed class AdviceQueries(MonitorState monitor, TrafficState traffic, MonitorOptions monitorOptions, AdviceOptions options, TimeProvider time)
{
    private readonly PlanRules _rules = new(LoadRule.Parse(monitorOptions.Compare), monitorOptions.Threshold, options.MaxMoves, options.PinnedNetworks(), options.MoveNetworks);

    public AdvicePlan Current()
    {
        var view = monitor.Current;
        var wans = view.Wans.Select(w => new PlanWan(w.Nic, w.Reading.CapacityRxBps, w.Reading.CapacityTxBps, w.Reading.ActualRxBps, w.Reading.ActualTxBps)).ToList();
        var hosts = new List<PlanHost>();
        foreach (var wan in traffic.Current.Wans)
        {
            foreach (var host in wan.Hosts)
            {
                if (host.RxBps + host.TxBps > 0)
                    hosts.Add(new PlanHost(host.Ip.ToString(), wan.Nic, host.RxBps, host.TxBps));
            }
        }
        return AdvicePlanner.Plan(wans, hosts, _rules, view.Wans.Count > 0 ? view.At : time.GetUtcNow());
    }
}
