namespace TwitterStream.Bench.LoadTest;

/// <summary>How long and how hard each part of the load test runs.</summary>
/// <param name="FixedRate">Posts per second the simulator sends in the fixed-rate run (X's per-app cap is about 250).</param>
/// <param name="FixedWarmup">Time after the first post arrives before the fixed-rate window opens.</param>
/// <param name="FixedWindow">Length of the fixed-rate measured window.</param>
/// <param name="MaxRatePosts">Posts the simulator sends as fast as the worker reads them in the maximum-rate run.</param>
/// <param name="MaxWarmup">Time after the first post arrives before the maximum-rate window opens.</param>
/// <param name="MaxWindow">Longest maximum-rate window; it closes earlier once 90 % of the posts are stored.</param>
/// <param name="BaselineWarmup">Time each baseline writes before its window opens.</param>
/// <param name="BaselineWindow">Length of each baseline's measured window.</param>
/// <param name="RoundTrip">When above zero, the maximum-rate run and both baselines run once more with this network
/// round trip added to every DynamoDB call (<see cref="Network.NetworkDelayProxy"/>), as in an AWS region.</param>
/// <param name="OutputPath">Where the JSON summary goes; null writes none.</param>
/// <param name="FixedRateOnly">Run only the fixed-rate part (the CPU, memory and latency figures at X's 250 posts/s).</param>
/// <param name="Jit">Run the worker's plain build output under <c>dotnet</c> (JIT) instead of the Native AOT executable
/// its image ships, for an A/B comparison.</param>
public sealed record LoadTestPlan(
    string Mode,
    double FixedRate,
    TimeSpan FixedWarmup,
    TimeSpan FixedWindow,
    long MaxRatePosts,
    TimeSpan MaxWarmup,
    TimeSpan MaxWindow,
    TimeSpan BaselineWarmup,
    TimeSpan BaselineWindow,
    TimeSpan RoundTrip,
    string? OutputPath,
    bool FixedRateOnly = false,
    bool Jit = false)
{
    public const string FullMode = "full";
    public const string SmokeMode = "smoke";
    public const string NativeAotBuild = "native-aot";
    public const string JitBuild = "jit";

    /// <summary>Which build of the worker runs: <see cref="NativeAotBuild"/> or <see cref="JitBuild"/>.</summary>
    public string WorkerBuild => Jit ? JitBuild : NativeAotBuild;

    /// <summary>The figures README reports: about four minutes on the 2-core development machine.</summary>
    public static LoadTestPlan Full(string? outputPath) => new(
        FullMode,
        FixedRate: 250,
        FixedWarmup: TimeSpan.FromSeconds(5),
        FixedWindow: TimeSpan.FromSeconds(30),
        MaxRatePosts: 150_000,
        MaxWarmup: TimeSpan.FromSeconds(5),
        MaxWindow: TimeSpan.FromSeconds(25),
        BaselineWarmup: TimeSpan.FromSeconds(2),
        BaselineWindow: TimeSpan.FromSeconds(10),
        RoundTrip: TimeSpan.FromMilliseconds(3),
        outputPath);

    /// <summary>A few seconds of each part, for CI: it proves completeness, not speed.</summary>
    public static LoadTestPlan Smoke(string? outputPath) => new(
        SmokeMode,
        FixedRate: 250,
        FixedWarmup: TimeSpan.FromSeconds(0.5),
        FixedWindow: TimeSpan.FromSeconds(1.5),
        MaxRatePosts: 3_000,
        MaxWarmup: TimeSpan.FromSeconds(0.2),
        MaxWindow: TimeSpan.FromSeconds(2),
        BaselineWarmup: TimeSpan.FromSeconds(0.2),
        BaselineWindow: TimeSpan.FromSeconds(0.5),
        RoundTrip: TimeSpan.Zero,
        outputPath);

    /// <summary>Posts the fixed-rate run sends: enough to keep the stream busy through warm-up and window, and one second more.</summary>
    public long FixedRatePosts => (long)Math.Ceiling(FixedRate * (FixedWarmup + FixedWindow + TimeSpan.FromSeconds(1)).TotalSeconds);
}
