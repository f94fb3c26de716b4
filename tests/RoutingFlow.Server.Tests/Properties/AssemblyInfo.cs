[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// Live tests build namespace labs and measure rates: one at a time, never beside another test's load.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
