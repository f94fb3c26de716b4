using Prometheus;

namespace RoutingFlow.Server.Alerts;

/// <summary>Webhook deliveries, refreshed before each scrape.</summary>
public sealed class AlertMetrics(IMetricFactory factory)
{
    private readonly Counter _sent = factory.CreateCounter("routingflow_alerts_sent_total", "Alerts delivered to webhooks.");
    private readonly Counter _failures = factory.CreateCounter("routingflow_alert_failures_total", "Failed webhook deliveries (each attempt; retried until Alerts:RetryFor).");
    private readonly Counter _givenUp = factory.CreateCounter("routingflow_alerts_given_up_total", "Alerts given up after Alerts:RetryFor or dropped from a full queue.");
    private readonly Gauge _pending = factory.CreateGauge("routingflow_alerts_pending", "Alerts waiting for delivery.");

    public void Update(AlertStatus status)
    {
        _sent.IncTo(status.Sent);
        _failures.IncTo(status.Failures);
        _givenUp.IncTo(status.GivenUp);
        _pending.Set(status.Pending);
    }
}
