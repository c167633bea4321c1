using TwitterStream.Harness;
using TwitterStream.Bench.LoadTest;
using TwitterStream.Bench.LoadTest.Compliance;
using TwitterStream.Bench.LoadTest.Reporting;

if (args is [ComplianceSweepLoad.Argument, var count, ..])
{
    if (!long.TryParse(count, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var posts) || posts < 1)
    {
        Console.Error.WriteLine($"{ComplianceSweepLoad.Argument} needs a whole number of posts, e.g. {ComplianceSweepLoad.Argument} 1000000.");
        return 2;
    }

    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    ComplianceSweepResult result;
    try
    {
        result = await ComplianceSweepLoad.RunAsync(posts, args.Contains("--jit"), Console.Out, stop.Token);
    }
    catch (InvalidOperationException exception)
    {
        Console.Error.WriteLine($"Compliance sweep load test failed: {exception.Message}");
        return 1;
    }

    var path = Path.Combine(Repository.FindRoot(Environment.CurrentDirectory) ?? Environment.CurrentDirectory, "bench", "results", "compliance-latest.json");
    await ComplianceSweepLoad.WriteJsonAsync(result, path, stop.Token);
    Console.WriteLine($"Summary written to {path}");
    Console.WriteLine("| Run | sweep time | ids read from the index | deletes | X's jobs (simulator) | sweep peak RSS |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    Console.WriteLine(result.MarkdownRow());
    return result.Complete ? 0 : 1;
}

LoadTestPlan? plan;
try
{
    plan = LoadTestArguments.Parse(args, Repository.FindRoot(Environment.CurrentDirectory) ?? Environment.CurrentDirectory);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

if (plan is null)
{
    Console.WriteLine(LoadTestArguments.Usage);
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

LoadTestReport report;
try
{
    report = await LoadTestRunner.RunAsync(plan, Console.Out, cancel.Token);
}
catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
{
    // A process that died or never got ready: its own message carries the process's last output.
    Console.Error.WriteLine($"Load test failed: {exception.Message}");
    return 1;
}

if (plan.OutputPath is not null)
{
    await report.WriteJsonAsync(plan.OutputPath, cancel.Token);
    Console.WriteLine($"Summary written to {plan.OutputPath}");
}

Console.WriteLine();
Console.Write(ResultsTable.Markdown(report));

// Completeness is a hard requirement; speed targets are reported, not enforced, since they depend on the machine.
return report.EveryRunComplete ? 0 : 1;
