using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using TwitterStream.Bench.LoadTest.EndToEnd;

namespace TwitterStream.Bench.LoadTest.Reporting;

/// <summary>Everything one load-test run measured: the machine-readable summary (<c>bench/results/latest.json</c>).</summary>
public sealed record LoadTestReport(
    string Mode,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    MachineInfo Machine,
    EndToEndResult FixedRate,
    Comparison? Loopback,
    Comparison? WithRoundTrip)
{
    public const double MinimumStoredPerSecond = 4_000;
    public const double MinimumRatioToWalkthrough = 10;
    public const double MaximumP99Ms = 100;
    public const double MaximumRssMegabytes = 100;
    public const double MaximumCpuPercent = 5;

    /// <summary>Which build of the worker was measured (<see cref="LoadTestPlan.WorkerBuild"/>).</summary>
    public string WorkerBuild { get; init; } = LoadTestPlan.NativeAotBuild;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    [JsonIgnore]
    public IReadOnlyList<Comparison> Comparisons => [.. new[] { Loopback, WithRoundTrip }.OfType<Comparison>()];

    [JsonIgnore]
    public IEnumerable<EndToEndResult> Runs => [FixedRate, .. Comparisons.Select(c => c.MaximumRate)];

    public bool EveryRunComplete => Runs.All(run => run.Completeness.IsComplete);

    public IReadOnlyList<TargetCheck> Targets =>
    [
        .. Loopback is null ? Array.Empty<TargetCheck>()
            : [new($"stored/s at maximum rate >= {MinimumStoredPerSecond:0}", Number(Loopback.MaximumRate.StoredPerSecond, "0"), Loopback.MaximumRate.StoredPerSecond >= MinimumStoredPerSecond)],
        .. Comparisons.Select(RatioTarget),
        new($"p99 receive->stored at {FixedRate.Name} < {MaximumP99Ms:0} ms", Number(FixedRate.LatencyP99Ms, "0.0") + " ms", FixedRate.LatencyP99Ms < MaximumP99Ms),
        new($"peak RSS at {FixedRate.Name} <= {MaximumRssMegabytes:0} MB", Number(FixedRate.PeakRssMegabytes, "0.0") + " MB", FixedRate.PeakRssMegabytes <= MaximumRssMegabytes),
        new($"CPU at {FixedRate.Name} <= {MaximumCpuPercent:0} % of a core (window)", Number(FixedRate.CpuPercentOfOneCore, "0.0") + " %", FixedRate.CpuPercentOfOneCore <= MaximumCpuPercent),
        new("every run complete (0 lost, 0 duplicated)",
            $"lost {Runs.Sum(r => r.Completeness.Missing)}, duplicated {Runs.Sum(r => r.Completeness.Duplicated)}",
            EveryRunComplete),
    ];

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public async Task WriteJsonAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, ToJson() + Environment.NewLine, cancellationToken);
    }

    private static TargetCheck RatioTarget(Comparison comparison) => new(
        $"worker / walkthrough >= {MinimumRatioToWalkthrough:0}x ({comparison.Network})",
        Number(comparison.RatioToWalkthrough, "0.0") + "x",
        comparison.RatioToWalkthrough >= MinimumRatioToWalkthrough);

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
