using System.Globalization;
using System.Text;
using TwitterStream.Bench.LoadTest.EndToEnd;

namespace TwitterStream.Bench.LoadTest.Reporting;

/// <summary>The short human table printed at the end of a run (and pasted into README as markdown).</summary>
public static class ResultsTable
{
    public static string Markdown(LoadTestReport report)
    {
        var text = new StringBuilder();
        var machine = report.Machine;
        text.AppendLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Load test ({report.Mode}, worker {report.WorkerBuild}), {report.StartedAt:yyyy-MM-dd HH:mm} UTC, {machine.Cores} cores ({machine.Cpu}), {machine.MemoryMegabytes / 1024.0:0} GB, "
            + $"load average {Load(machine.LoadAverageAtStart)} at start, {Load(machine.LoadAverageAtEnd)} at end, {machine.Runtime}"));
        text.AppendLine();
        text.AppendLine("| Run | stored/s | p50 ms | p99 ms | p99 ms, whole run | peak RSS MB | CPU % of a core | CPU %, whole run | lost | duplicated |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        text.AppendLine(Row(report.FixedRate, "loopback"));
        foreach (var comparison in report.Comparisons)
        {
            text.AppendLine(Row(comparison.MaximumRate, comparison.Network));
            foreach (var baseline in new[] { comparison.Walkthrough, comparison.PlainLoop })
            {
                text.AppendLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {baseline.Description}, {comparison.Network} | {baseline.StoredPerSecond:0} | | | | | | | | |"));
            }
        }

        text.AppendLine();
        foreach (var comparison in report.Comparisons)
        {
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Worker at maximum rate, {comparison.Network}: {comparison.RatioToWalkthrough:0.0}x the walkthrough's way, {comparison.RatioToPlainLoop:0.0}x the plain loop."));
        }

        text.AppendLine();
        if (report.Mode == LoadTestPlan.SmokeMode)
        {
            text.AppendLine("Smoke run: too short and too cold for speed figures; only completeness counts here.");
            text.AppendLine();
        }

        text.AppendLine("| Target | measured | met |");
        text.AppendLine("|---|---:|:---:|");
        foreach (var target in report.Targets)
        {
            text.AppendLine($"| {target.Target} | {target.Measured} | {(target.Met ? "yes" : "NO")} |");
        }

        return text.ToString();
    }

    private static string Row(EndToEndResult run, string network) => string.Create(
        CultureInfo.InvariantCulture,
        $"| worker, {run.Name} ({run.TotalPosts} posts), {network} | {run.StoredPerSecond:0} | {run.LatencyP50Ms:0.0} | {run.LatencyP99Ms:0.0} | {run.WholeRunLatencyP99Ms:0.0} | "
        + $"{run.PeakRssMegabytes:0.0} | {run.CpuPercentOfOneCore:0.0} | {run.WholeRunCpuPercentOfOneCore:0.0} | {run.Completeness.Missing} | {run.Completeness.Duplicated} |");

    private static string Load(IReadOnlyList<double> load) =>
        load.Count == 0 ? "n/a" : string.Join(" ", load.Select(l => l.ToString("0.00", CultureInfo.InvariantCulture)));
}
