using Microsoft.JSInterop;

namespace RoutingFlow.Web.Display;

/// <summary>
/// The time zone one dashboard session shows times in: UTC (the default, as everywhere in RoutingFlow), or the
/// browser's own, asked of the browser once when switched on. Scoped: each browser tab has its own.
/// </summary>
public sealed class DisplayZone
{
    /// <summary>Null: UTC.</summary>
    public TimeZoneInfo? Zone { get; private set; }

    /// <summary>Why the browser's zone could not be used, when it could not.</summary>
    public string? Error { get; private set; }

    public string Name => Zone?.Id ?? "UTC";

    /// <summary>A wall-clock time typed in this zone, as UTC; null where the zone's clock skips it (a DST gap).</summary>
    public DateTimeOffset? ToUtc(DateTime typed)
    {
        var wall = DateTime.SpecifyKind(typed, DateTimeKind.Unspecified);
        if (Zone is not { } zone)
            return new DateTimeOffset(wall, TimeSpan.Zero);
        return zone.IsInvalidTime(wall) ? null : new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(wall, zone), TimeSpan.Zero);
    }

    /// <summary><paramref name="time"/> in this zone, formatted with <paramref name="format"/> (invariant culture).</summary>
    public string Format(DateTimeOffset time, string format) =>
        (Zone is { } zone ? TimeZoneInfo.ConvertTime(time, zone) : time.ToUniversalTime()).ToString(format, System.Globalization.CultureInfo.InvariantCulture);

    public event Action? Changed;

    public async Task UseBrowserAsync(IJSRuntime js)
    {
        try
        {
            var id = await js.InvokeAsync<string>("eval", new object?[] { "Intl.DateTimeFormat().resolvedOptions().timeZone" });
            var known = TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone);
            Zone = known ? zone : null;
            Error = known ? null : $"this server does not know the browser's time zone '{id}': times stay in UTC";
        }
        catch (Exception e) when (e is JSException or TaskCanceledException or InvalidOperationException)
        {
            (Zone, Error) = (null, $"the browser did not say its time zone ({e.Message}): times stay in UTC");
        }
        Changed?.Invoke();
    }

    public void UseUtc()
    {
        (Zone, Error) = (null, null);
        Changed?.Invoke();
    }
}
