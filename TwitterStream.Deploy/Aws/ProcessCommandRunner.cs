using System.Diagnostics;
using System.Text;

namespace TwitterStream.Deploy.Aws;

/// <summary>
/// Runs commands as child processes with the tool's environment, showing each command line first. Output is captured
/// and never echoed unless the command asks to stream it, so values read from AWS (secrets, registry passwords) stay
/// inside the tool. Stdin is closed so that no child ever waits on a prompt.
/// </summary>
internal sealed class ProcessCommandRunner(ToolContext context) : ICommandRunner
{
    public bool IsDryRun => false;

    public async Task<CommandResult> RunAsync(CommandSpec command, CancellationToken cancellationToken)
    {
        await context.Out.WriteLineAsync($"$ {command.Display}");
        var program = ExecutableLocator.Find(context, command.Program)
            ?? throw new DeployError($"'{command.Program}' is not on PATH: install it, or put it on PATH, and run again.");
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = context.WorkingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (name, value) in context.Environment.Concat(command.Environment).Concat(command.SecretEnvironment))
        {
            start.Environment[name] = value;
        }

        // AWS CLI v2 pages long output through `less`; v1 ignores the variable.
        start.Environment["AWS_PAGER"] = "";

        using var process = Process.Start(start) ?? throw new DeployError($"'{command.Program}' did not start.");
        process.StandardInput.Close();
        var stdout = Collect(process.StandardOutput, command.StreamOutput, cancellationToken);
        var stderr = Collect(process.StandardError, command.StreamOutput, cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    private async Task<string> Collect(StreamReader reader, bool stream, CancellationToken cancellationToken)
    {
        var all = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            all.Append(line).Append('\n');
            if (stream)
            {
                await context.Out.WriteLineAsync("  " + line);
            }
        }

        return all.ToString();
    }
}
