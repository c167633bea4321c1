using TwitterStream.Bench.LoadTest;

namespace TwitterStream.Tests.Benchmarks;

public sealed class LoadTestArgumentsTests
{
    private const string Root = "/repo";

    [Fact]
    public void No_arguments_plan_the_full_run_and_refresh_the_committed_summary()
    {
        var plan = LoadTestArguments.Parse([], Root)!;

        Assert.Equal("full", plan.Mode);
        Assert.Equal(250, plan.FixedRate);
        Assert.Equal(TimeSpan.FromMilliseconds(3), plan.RoundTrip);
        Assert.Equal(Path.Combine(Root, "bench", "results", "latest.json"), plan.OutputPath);
        Assert.False(plan.FixedRateOnly);
        Assert.False(plan.Jit);
        Assert.Equal("native-aot", plan.WorkerBuild);
    }

    [Fact]
    public void Jit_measures_the_plain_build_output_and_combines_with_the_other_options()
    {
        var plan = LoadTestArguments.Parse(["--fixed-rate-only", "--jit"], Root)!;

        Assert.True(plan.Jit);
        Assert.True(plan.FixedRateOnly);
        Assert.Equal("jit", plan.WorkerBuild);
        Assert.Contains("[--jit]", LoadTestArguments.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public void Fixed_rate_only_runs_the_250_per_second_part_and_leaves_the_committed_summary_alone()
    {
        var plan = LoadTestArguments.Parse(["--fixed-rate-only"], Root)!;

        Assert.True(plan.FixedRateOnly);
        Assert.Equal("full", plan.Mode);
        Assert.Equal(250, plan.FixedRate);
        Assert.Null(plan.OutputPath);
        Assert.Equal("/tmp/x.json", LoadTestArguments.Parse(["--fixed-rate-only", "--output", "/tmp/x.json"], Root)!.OutputPath);
    }

    [Fact]
    public void Smoke_writes_no_summary_unless_asked_and_overrides_apply()
    {
        Assert.Null(LoadTestArguments.Parse(["--smoke"], Root)!.OutputPath);

        var plan = LoadTestArguments.Parse(["--smoke", "--fixed-rate", "100", "--max-posts", "500", "--round-trip-ms", "0", "--output", "/tmp/x.json"], Root)!;
        Assert.Equal("smoke", plan.Mode);
        Assert.Equal(TimeSpan.Zero, plan.RoundTrip);
        Assert.Equal(100, plan.FixedRate);
        Assert.Equal(500, plan.MaxRatePosts);
        Assert.Equal("/tmp/x.json", plan.OutputPath);
    }

    [Theory]
    [InlineData(new[] { "--fixed-rate", "fast" }, "--fixed-rate 'fast' is not a number")]
    [InlineData(new[] { "--fixed-rate", "0" }, "--fixed-rate must be a finite number above zero")]
    [InlineData(new[] { "--max-posts" }, "--max-posts needs a value")]
    [InlineData(new[] { "--round-trip-ms", "-1" }, "--round-trip-ms must be a finite number of zero or more")]
    [InlineData(new[] { "--output", "a.json", "--no-output" }, "contradict")]
    [InlineData(new[] { "--turbo" }, "Unknown argument '--turbo'")]
    public void Bad_arguments_get_one_line_naming_the_problem(string[] args, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => LoadTestArguments.Parse(args, Root));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Help_asks_for_no_run() => Assert.Null(LoadTestArguments.Parse(["--help"], Root));
}
