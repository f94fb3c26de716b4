namespace RoutingFlow.Capture.Tests.Probing;

/// <summary>Tests that measure rates or times: run after the others, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuringCollection
{
    public const string Name = "measuring";
}
