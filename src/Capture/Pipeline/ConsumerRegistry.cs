namespace RoutingFlow.Capture.Pipeline;

/// <summary>
/// The consumers a feature's factory created, by capture interface: the feature reads its own analyzers here
/// instead of searching every capture's consumer list for its type. Read from any thread (copy on write).
/// </summary>
public sealed class ConsumerRegistry<T> where T : class, IPacketConsumer
{
    private readonly Lock _lock = new();
    private volatile Dictionary<string, T> _byInterface = new(StringComparer.Ordinal);

    /// <summary>Records the consumer made for <paramref name="interfaceName"/> (a capture opened again replaces its old one) and returns it.</summary>
    public T Add(string interfaceName, T consumer)
    {
        lock (_lock)
            _byInterface = new Dictionary<string, T>(_byInterface, StringComparer.Ordinal) { [interfaceName] = consumer };
        return consumer;
    }

    /// <summary>The consumer made for <paramref name="interfaceName"/>, or null.</summary>
    public T? Of(string interfaceName) => _byInterface.GetValueOrDefault(interfaceName);

    public IReadOnlyDictionary<string, T> All => _byInterface;
}
