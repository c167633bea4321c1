using System.Globalization;

namespace TwitterStream.Bench.LoadTest.EndToEnd;

/// <summary>One end-to-end run: the simulator's pace and post count, and the measured window.</summary>
/// <param name="PostsPerSecond">The simulator's rate; 0 sends as fast as the worker reads.</param>
/// <param name="TotalPosts">Posts the simulator sends in all, so the expected set is known exactly.</param>
/// <param name="Warmup">Time after the first post arrives before the window opens (JIT, connection pools, DynamoDB Local's own JIT).</param>
/// <param name="Window">Longest measured window.</param>
/// <param name="CloseWindowAtStoredShare">Close the window early once this share of the posts is stored, so it never
/// covers the tail where the simulator has run out of posts; 1 keeps the full window.</param>
/// <param name="PollEvery">How often the run reads the worker's /stats; each read costs the worker CPU, which the
/// fixed-rate run measures, so it reads once a second there.</param>
public sealed record EndToEndScenario(
    string Name,
    double PostsPerSecond,
    long TotalPosts,
    TimeSpan Warmup,
    TimeSpan Window,
    double CloseWindowAtStoredShare = 1,
    TimeSpan? PollEvery = null)
{
    /// <summary>The simulator's settings (keys of its <c>Simulator</c> section): every generated post matches the filter.</summary>
    public IReadOnlyDictionary<string, string> SimulatorSettings => new Dictionary<string, string>
    {
        ["PostsPerSecond"] = PostsPerSecond.ToString(CultureInfo.InvariantCulture),
        ["BurstSize"] = "1",
        ["TotalPosts"] = TotalPosts.ToString(CultureInfo.InvariantCulture),
        ["MatchingShare"] = "1",
        ["Seed"] = "6",
    };

    public TimeSpan PollInterval => PollEvery ?? TimeSpan.FromMilliseconds(200);

    public static EndToEndScenario FixedRate(LoadTestPlan plan) => new(
        $"fixed {plan.FixedRate.ToString("0.##", CultureInfo.InvariantCulture)}/s",
        plan.FixedRate,
        plan.FixedRatePosts,
        plan.FixedWarmup,
        plan.FixedWindow,
        PollEvery: TimeSpan.FromSeconds(1));

    public static EndToEndScenario MaximumRate(LoadTestPlan plan) => new(
        "maximum rate",
        0,
        plan.MaxRatePosts,
        plan.MaxWarmup,
        plan.MaxWindow,
        CloseWindowAtStoredShare: 0.9);
}
