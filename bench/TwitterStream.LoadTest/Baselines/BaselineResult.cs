namespace TwitterStream.Bench.LoadTest.Baselines;

/// <summary>What one baseline stored in its measured window (every PutItem it awaited succeeded, or the run failed).</summary>
public sealed record BaselineResult(string Name, string Description, double WindowSeconds, long Puts, double StoredPerSecond);
