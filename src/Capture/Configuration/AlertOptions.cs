namespace RoutingFlow.Capture.Configuration;

/// <summary><c>RoutingFlow:Alerts</c>: who is told when a WAN is overloaded and when it is no longer.</summary>
public sealed class AlertOptions
{
    /// <summary>URLs that receive a JSON POST on every incident's start and end (Slack and Mattermost incoming webhooks work as they are).</summary>
    public List<string> Webhooks { get; set; } = [];

    /// <summary>How long one delivery may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an undelivered alert is retried (with back-off) before it is given up, logged and counted.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Alerts waiting for delivery at most; past it the oldest are given up (counted).</summary>
    public int MaxPending { get; set; } = 1000;
}
