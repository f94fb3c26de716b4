namespace RoutingFlow.Web.Charts;

/// <summary>One line of a <c>TimeChart</c>: its points, oldest first; a null value is a gap (unknown), never a zero.</summary>
public sealed record ChartLine(string Name, string Color, IReadOnlyList<(DateTimeOffset Time, double? Value)> Points, bool Dashed = false);

/// <summary>A shaded time window (an incident; a diagnosis' baseline with <see cref="Baseline"/>), with its label.</summary>
public sealed record ChartBand(DateTimeOffset From, DateTimeOffset To, string Label, string TestId = "incident-window", bool Baseline = false);

/// <summary>A vertical marker at one time: the peak of an incident, or an event such as a correction-factor change.</summary>
public sealed record ChartMarker(DateTimeOffset Time, string Label, ChartMarkerKind Kind);

public enum ChartMarkerKind
{
    Peak,
    Event,
}
