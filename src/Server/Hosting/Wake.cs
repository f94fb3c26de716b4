namespace RoutingFlow.Server.Hosting;

/// <summary>A worker's sleep that ends when its delay has passed on the injected clock or when someone wakes it.</summary>
public sealed class Wake(TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0);

    /// <summary>Ends the current (or the next) sleep early.</summary>
    public void Set() => _signal.Release();

    public async Task SleepAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var woken = _signal.WaitAsync(either.Token);
        await Task.WhenAny(Task.Delay(delay, time, either.Token), woken);
        await either.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    public void Dispose() => _signal.Dispose();
}
