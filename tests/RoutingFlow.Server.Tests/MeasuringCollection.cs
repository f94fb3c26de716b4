namespace RoutingFlow.Server.Tests;

/// <summary>Tests that measure rates over loopback in this process: one at a time (the assembly runs its tests serially anyway).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuringCollection
{
    public const string Name = "measuring";
}
