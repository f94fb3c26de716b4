namespace RoutingFlow.Capture.Conntrack;

/// <summary>A connection whose <c>mark &amp; Mask</c> equals <c>Mark</c> uses WAN <c>Nic</c> (its index in nic.json).</summary>
public readonly record struct MarkRule(uint Mark, uint Mask, byte Nic)
{
    public bool Matches(uint mark) => (mark & Mask) == Mark;
}
