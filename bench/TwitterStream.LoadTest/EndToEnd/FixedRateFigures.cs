using System.Globalization;

namespace TwitterStream.Bench.LoadTest.EndToEnd;

/// <summary>The fixed-rate run's figures on their own lines, printed as soon as the run ends, for a quick re-run.</summary>
public static class FixedRateFigures
{
    public static string Describe(EndToEndResult run) => string.Create(CultureInfo.InvariantCulture, $"""
          {run.Name}: CPU {run.CpuPercentOfOneCore:0.0} % of a core over the {run.WindowSeconds:0} s window, {run.WholeRunCpuPercentOfOneCore:0.0} % over the whole run ({run.WholeRunSeconds:0} s from start to the last post stored)
          {run.Name}: peak RSS {run.PeakRssMegabytes:0.0} MB; p99 receive->stored {run.LatencyP99Ms:0.0} ms over the window, {run.WholeRunLatencyP99Ms:0.0} ms over the whole run (max {run.LatencyMaxMs:0.0} ms); load average now {string.Join(" ", Reporting.MachineInfo.LoadAverage().Select(l => l.ToString("0.00", CultureInfo.InvariantCulture)))}
        """);
}
