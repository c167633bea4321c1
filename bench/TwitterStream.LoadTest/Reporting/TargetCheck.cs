namespace TwitterStream.Bench.LoadTest.Reporting;

/// <summary>One of issue 6's end-to-end targets against what the run measured.</summary>
public sealed record TargetCheck(string Target, string Measured, bool Met);
