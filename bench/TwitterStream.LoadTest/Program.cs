using TwitterStream.Harness;
using TwitterStream.Bench.LoadTest;
using TwitterStream.Bench.LoadTest.Reporting;

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
