namespace RoutingFlow.Testing.Waiting;

/// <summary>Waits on a condition, not on a sleep: polls until it holds or the deadline passes, then fails saying what.</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Exception? last = null;
        while (true)
        {
            try
            {
                var value = await probe();
                if (value is not null && !value.Equals(false))
                    return value;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                last = e;
            }
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"timed out after {timeout} waiting for {what}" + (last is null ? "" : $" (last error: {last.Message})"));
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(200));
        }
    }

    public static Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        WaitAsync<object>(async () => await condition() ? true : null, timeout, what);
}
