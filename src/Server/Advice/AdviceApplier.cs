using RoutingFlow.Server.Mapping;
using RoutingFlow.Server.Storage;

namespace RoutingFlow.Server.Advice;

/// <summary>What applying moves did: the overrides written, the whole list now, a save error, and the routing side's answer.</summary>
public sealed record ApplyOutcome(IReadOnlyList<MappingOverride> Applied, IReadOnlyList<MappingOverride> Overrides, string? Error, ForwardResult Forwarded);

/// <summary>
/// Applies moves, for the API and the dashboard alike: mapping overrides (in effect at once, kept), the moves handed
/// to the routing side, and the apply recorded (who, when, what, and the routing side's failure if any).
/// </summary>
public sealed class AdviceApplier(MappingOverrides overrides, AdviceForwarder forwarder, StorageWriter storage, TimeProvider time)
{
    public const string Kind = "advice";

    public async Task<ApplyOutcome> ApplyAsync(IReadOnlyList<PlanMove> moves, string by, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var applied = moves.Select(m => new MappingOverride(m.Target, m.To, now, by)).ToList();
        var saveError = overrides.Add(applied);
        var forwarded = await forwarder.ForwardAsync(new AppliedMoves(now, by, moves), cancellationToken);
        var failed = forwarded.UrlError ?? forwarded.CommandError;
        Record(now, $"applied by {by}: {string.Join("; ", moves.Select(m => $"{m.Target} {m.From} → {m.To}"))}{(failed is null ? "" : $" (routing side: {failed})")}");
        return new ApplyOutcome(applied, overrides.Current, saveError, forwarded);
    }

    public (IReadOnlyList<MappingOverride> Overrides, string? Error) Clear(string by)
    {
        var removed = overrides.Current.Count;
        var error = overrides.Clear();
        Record(time.GetUtcNow(), $"{removed} override(s) removed by {by}");
        return (overrides.Current, error);
    }

    private void Record(DateTimeOffset at, string text) =>
        storage.Enqueue(new EventItem(new Storage.Entities.EventRow { Time = at.ToUnixTimeMilliseconds(), Kind = Kind, Text = text }));
}
