using TwitterStream.Deploy;

// Ctrl+C cancels instead of killing the process, so that a secret's temporary file is still deleted.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await DeployApp.RunAsync(args, ToolContext.FromProcess(), cancellation.Token);
