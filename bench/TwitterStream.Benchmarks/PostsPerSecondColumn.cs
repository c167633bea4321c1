using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace TwitterStream.Bench.Benchmarks;

/// <summary>Posts per second on one core: one benchmark operation is one post, run on a single thread.</summary>
public sealed class PostsPerSecondColumn : IColumn
{
    public string Id => nameof(PostsPerSecondColumn);

    public string ColumnName => "Posts/s (1 core)";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Posts processed per second by one thread (1 s / mean time per post)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        summary[benchmarkCase]?.ResultStatistics is { Mean: > 0 } statistics
            ? (1e9 / statistics.Mean).ToString("N0", CultureInfo.InvariantCulture)
            : "n/a";

    public override string ToString() => ColumnName;
}
