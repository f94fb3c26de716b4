namespace RoutingFlow.Capture.Mapping;

/// <summary>The mapping in effect, swapped whole by the poller and read per packet by the captures.</summary>
public sealed class NicMapHolder(NicMap initial)
{
    private volatile NicMap _current = initial;

    public NicMap Current
    {
        get => _current;
        set => _current = value;
    }
}
