using System.Text.Json.Serialization;
using RoutingFlow.Capture.Analysis;

namespace RoutingFlow.Server.Cli;

/// <summary>Source-generated JSON for the analyze report: no reflection warm-up on the command's critical path.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(AnalysisReport))]
internal sealed partial class AnalyzeJsonContext : JsonSerializerContext;
