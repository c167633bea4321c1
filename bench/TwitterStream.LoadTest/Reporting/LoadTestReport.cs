using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using TwitterStream.Bench.LoadTest.Baselines;
using TwitterStream.Bench.LoadTest.EndToEnd;

namespace TwitterStream.Bench.LoadTest.Reporting;

/// <summary>Everything one load-test run measured: the machine-readable summary (<c>bench/results/latest.json</c>).</summary>
public sealed record LoadTestReport(
    string Mode,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    MachineInfo Machine,
    EndToEndResult FixedRate,
    EndToEndResult MaximumRate,
    BaselineResult Walkthrough,
    BaselineResult PlainLoop)
{
    public const double MinimumStoredPerSecond = 4_000;
    public const double MinimumRatioToWalkthrough = 10;
    public const double MaximumP99Ms = 100;
    public const double MaximumRssMegabytes = 150;
    public const double MaximumCpuPercent = 25;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The worker's maximum sustained rate over the walkthrough's way.</summary>
    public double RatioToWalkthrough => Ratio(MaximumRate.StoredPerSecond, Walkthrough.StoredPerSecond);

    /// <summary>The worker's maximum sustained rate over the plain loop.</summary>
    public double RatioToPlainLoop => Ratio(MaximumRate.StoredPerSecond, PlainLoop.StoredPerSecond);

    public bool EveryRunComplete => FixedRate.Completeness.IsComplete && MaximumRate.Completeness.IsComplete;

    public IReadOnlyList<TargetCheck> Targets =>
    [
        new($"stored/s at maximum rate >= {MinimumStoredPerSecond:0}", Number(MaximumRate.StoredPerSecond, "0"), MaximumRate.StoredPerSecond >= MinimumStoredPerSecond),
        new($"worker / walkthrough >= {MinimumRatioToWalkthrough:0}x", Number(RatioToWalkthrough, "0.0") + "x", RatioToWalkthrough >= MinimumRatioToWalkthrough),
        new($"p99 receive->stored at {FixedRate.Name} < {MaximumP99Ms:0} ms", Number(FixedRate.LatencyP99Ms, "0.0") + " ms", FixedRate.LatencyP99Ms < MaximumP99Ms),
        new($"peak RSS at {FixedRate.Name} < {MaximumRssMegabytes:0} MB", Number(FixedRate.PeakRssMegabytes, "0") + " MB", FixedRate.PeakRssMegabytes < MaximumRssMegabytes),
        new($"CPU at {FixedRate.Name} < {MaximumCpuPercent:0} % of a core", Number(FixedRate.CpuPercentOfOneCore, "0.0") + " %", FixedRate.CpuPercentOfOneCore < MaximumCpuPercent),
        new("every run complete (0 lost, 0 duplicated)",
            $"lost {FixedRate.Completeness.Missing + MaximumRate.Completeness.Missing}, duplicated {FixedRate.Completeness.Duplicated + MaximumRate.Completeness.Duplicated}",
            EveryRunComplete),
    ];

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public async Task WriteJsonAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, ToJson() + Environment.NewLine, cancellationToken);
    }

    private static double Ratio(double worker, double baseline) => baseline > 0 ? worker / baseline : double.PositiveInfinity;

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
