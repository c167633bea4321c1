using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Bench.LoadTest.Reporting;
using TwitterStream.Contracts;
using TwitterStream.Harness;

namespace TwitterStream.Bench.LoadTest.Compliance;

/// <summary>What one compliance sweep over a large table measured.</summary>
public sealed record ComplianceSweepResult(
    long StoredPosts,
    double SeedSeconds,
    long Checked,
    long Deleted,
    int Jobs,
    double SweepSeconds,
    double ReadingSeconds,
    double XSeconds,
    double ActingSeconds,
    long LeftAfter,
    long PeakRssBytes,
    MachineInfo Machine)
{
    /// <summary>Post ids read from the id index per second of reading.</summary>
    public double ReadsPerSecond => Checked / ReadingSeconds;

    /// <summary>Items found through the index and deleted per second of acting.</summary>
    public double DeletesPerSecond => Deleted / ActingSeconds;

    public bool Complete => LeftAfter == StoredPosts - Deleted && Checked == StoredPosts;

    public string MarkdownRow() => string.Create(CultureInfo.InvariantCulture,
        $"| compliance sweep, {StoredPosts:N0} stored posts, {Jobs} X jobs (simulator), loopback | {SweepSeconds:0} s | {ReadsPerSecond:N0} ids/s ({ReadingSeconds:0} s) | {DeletesPerSecond:N0}/s ({Deleted:N0} deleted, {ActingSeconds:0.0} s) | {XSeconds:0} s | {PeakRssBytes / 1024 / 1024} MB |");
}

/// <summary>
/// <c>--compliance-sweep N</c>: N posts written straight into DynamoDB Local (in the worker's item shape), 1 % of them
/// marked by the simulator's seeded share, then the worker's <c>compliance-sweep</c> command run once as its own
/// process: the Native AOT executable its image ships (published first), or with <c>--jit</c> its plain build output. Reports the sweep's time, ids read per second from the id index and deletes per second, from the sweep's
/// own log line, and checks the table holds exactly what it should afterwards.
/// </summary>
public static partial class ComplianceSweepLoad
{
    public const string Argument = "--compliance-sweep";
    private const double MarkedShare = 0.01;
    private const int JobSize = 100_000;

    public static async Task<ComplianceSweepResult> RunAsync(long posts, bool jit, TextWriter log, CancellationToken cancellationToken)
    {
        using var nativeWorker = jit ? null : await LoadTestRunner.PublishWorkerAsync(log, cancellationToken);
        var machine = MachineInfo.AtStart();
        await using var system = await LocalSystem.StartAsync(new Dictionary<string, string>
        {
            ["PostsPerSecond"] = "0",
            ["Compliance:Share"] = MarkedShare.ToString(CultureInfo.InvariantCulture),
            ["Compliance:ProcessingSeconds"] = "1",
        }, cancellationToken: cancellationToken);

        log.WriteLine($"Compliance sweep: writing {posts:N0} posts into DynamoDB Local");
        var seeding = Stopwatch.StartNew();
        using (var client = system.Dynamo.CreateClient())
        {
            await SeedAsync(client, system.TableName, posts, cancellationToken);
        }

        seeding.Stop();
        log.WriteLine($"  written in {seeding.Elapsed.TotalSeconds:0} s; sweeping (jobs of {JobSize:N0} ids)");

        var environment = system.WorkerEnvironment(new Dictionary<string, string?>
        {
            [WorkerVariables.ComplianceJobSize] = JobSize.ToString(CultureInfo.InvariantCulture),
            [WorkerVariables.CompliancePollIntervalSeconds] = "1",
            [WorkerVariables.Filter] = null,
        });
        await using var sweep = DotnetApp.Start(
            WorkerProcess.AssemblyName, [WorkerVariables.ComplianceSweepCommand], environment, inheritEnvironment: false, nativeWorker?.Launch());
        string? finished = null;
        sweep.OutputLine += line =>
        {
            if (line.Contains("Compliance sweep", StringComparison.Ordinal) && line.Contains("finished", StringComparison.Ordinal))
            {
                finished = line;
            }
        };
        long peakRss = 0;
        var exitCode = -1;
        while (!sweep.HasExited)
        {
            peakRss = Math.Max(peakRss, sweep.Sample().PeakRssBytes);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        exitCode = await sweep.WaitForExitAsync(TimeSpan.FromSeconds(10));
        if (exitCode != 0 || finished is null)
        {
            throw new InvalidOperationException($"The sweep exited with {exitCode}: {sweep.RecentOutput}");
        }

        log.WriteLine($"  {finished.Trim()}");
        var figures = Figures().Match(finished);
        if (!figures.Success)
        {
            throw new InvalidOperationException($"The sweep's last line is not in the expected shape: {finished}");
        }

        double Seconds(string name) => double.Parse(figures.Groups[name].Value, CultureInfo.InvariantCulture);
        long Count(string name) => long.Parse(figures.Groups[name].Value, CultureInfo.InvariantCulture);
        long left;
        using (var client = system.Dynamo.CreateClient())
        {
            left = await CountPostsAsync(client, system.TableName, cancellationToken);
        }

        return new ComplianceSweepResult(
            posts, seeding.Elapsed.TotalSeconds, Count("checked"), Count("deleted"), (int)Count("jobs"),
            Seconds("total"), Seconds("reading"), Seconds("x"), Seconds("acting"), left, peakRss, machine.AtEnd());
    }

    public static async Task WriteJsonAsync(ComplianceSweepResult result, string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), cancellationToken);
    }

    [GeneratedRegex(@"checked (?<checked>\d+) post ids in (?<jobs>\d+) X jobs, deleted (?<deleted>\d+) items.*took (?<total>[\d.]+) s \(reading the id index (?<reading>[\d.]+) s, X's jobs (?<x>[\d.]+) s, deleting and modifying (?<acting>[\d.]+) s\)")]
    private static partial Regex Figures();

    /// <summary>Eight BatchWriteItem calls of 25 in flight: seeding is not what is measured, so it may go as fast as it can.</summary>
    private static async Task SeedAsync(IAmazonDynamoDB client, string table, long count, CancellationToken cancellationToken)
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var batches = Enumerable.Range(0, (int)((count + 24) / 25));
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (batch, token) =>
        {
            var requests = new List<WriteRequest>(25);
            for (var i = batch * 25L; i < Math.Min(count, (batch + 1) * 25L); i++)
            {
                var id = (1_700_000_000_000_000_000L + i * 7919).ToString(CultureInfo.InvariantCulture);
                var createdAt = start.AddMilliseconds(i * 37).ToString(PostsTableSchema.TimestampFormat, CultureInfo.InvariantCulture);
                requests.Add(new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
                {
                    [PostsTableSchema.PartitionKey] = new($"user{i % 50_000}"),
                    [PostsTableSchema.SortKey] = new(PostsTableSchema.SortKeyOf(createdAt, id)),
                    [PostsTableSchema.Id] = new(id),
                    [PostsTableSchema.Text] = new($"Post {i}: learning dotnet and aspire with a cup of coffee, one more sentence to reach a typical length."),
                    [PostsTableSchema.CreatedAt] = new(createdAt),
                    [PostsTableSchema.ReceivedAt] = new(createdAt),
                })));
            }

            var pending = new Dictionary<string, List<WriteRequest>> { [table] = requests };
            while (pending.Count > 0)
            {
                pending = (await client.BatchWriteItemAsync(pending, token)).UnprocessedItems;
            }
        });
    }

    /// <summary>
    /// The posts left, from DescribeTable's item count less the sweep's state item: DynamoDB Local keeps the count exact
    /// (AWS updates it about every six hours); scanning a million items again only to count them took minutes.
    /// </summary>
    private static async Task<long> CountPostsAsync(IAmazonDynamoDB client, string table, CancellationToken cancellationToken)
    {
        var description = await client.DescribeTableAsync(table, cancellationToken);
        return (description.Table.ItemCount ?? 0) - 1;
    }
}
