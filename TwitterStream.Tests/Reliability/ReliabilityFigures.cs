namespace TwitterStream.Tests.Reliability;

/// <summary>
/// The figures each scenario measured (faults injected, lines tried, canaries searched, items lost or duplicated): one
/// line per scenario in the test output and in a file, <c>TWITTERSTREAM_RELIABILITY_REPORT</c> or
/// <c>$TMPDIR/twitterstream-reliability-&lt;scale&gt;.txt</c>, that <c>tools/reliability-long</c> prints at the end.
/// </summary>
public static class ReliabilityFigures
{
    public static string ReportPath { get; } =
        Environment.GetEnvironmentVariable("TWITTERSTREAM_RELIABILITY_REPORT") is { Length: > 0 } path
            ? path
            : Path.Combine(Path.GetTempPath(), $"twitterstream-reliability-{ReliabilityScale.Current.Name}.txt");

    private static readonly Lock Gate = new();

    public static void Record(string scenario, string figures)
    {
        var line = $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\t{ReliabilityScale.Current.Name}\t{scenario}\t{figures}";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        lock (Gate)
        {
            File.AppendAllText(ReportPath, line + Environment.NewLine);
        }
    }
}
