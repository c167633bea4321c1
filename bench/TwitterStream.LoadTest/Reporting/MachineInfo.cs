using System.Globalization;
using System.Runtime.InteropServices;

namespace TwitterStream.Bench.LoadTest.Reporting;

/// <summary>Where the figures came from: they mean little without the cores and how busy the machine was.</summary>
public sealed record MachineInfo(
    int Cores,
    string Cpu,
    long MemoryMegabytes,
    string Os,
    string Runtime,
    IReadOnlyList<double> LoadAverageAtStart,
    IReadOnlyList<double> LoadAverageAtEnd)
{
    public static MachineInfo AtStart() => new(
        Environment.ProcessorCount,
        CpuModel(),
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024 / 1024,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        LoadAverage(),
        []);

    public MachineInfo AtEnd() => this with { LoadAverageAtEnd = LoadAverage() };

    /// <summary>The 1, 5 and 15 minute load averages from /proc/loadavg; empty where there is none.</summary>
    public static IReadOnlyList<double> LoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path))
        {
            return [];
        }

        return [.. File.ReadAllText(path).Split(' ').Take(3).Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
    }

    private static string CpuModel()
    {
        const string path = "/proc/cpuinfo";
        var line = File.Exists(path)
            ? File.ReadLines(path).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
            : null;
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
    }
}
