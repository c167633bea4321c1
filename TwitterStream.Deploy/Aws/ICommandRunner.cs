namespace TwitterStream.Deploy.Aws;

/// <summary>Runs external commands, or with <c>--dry-run</c> only shows them.</summary>
internal interface ICommandRunner
{
    bool IsDryRun { get; }

    Task<CommandResult> RunAsync(CommandSpec command, CancellationToken cancellationToken);
}

/// <summary>Shows each command in order and runs none, answering with the command's <see cref="CommandSpec.DryRunResult"/>.</summary>
internal sealed class DryRunCommandRunner(TextWriter output) : ICommandRunner
{
    public bool IsDryRun => true;

    public async Task<CommandResult> RunAsync(CommandSpec command, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"$ {command.Display}");
        return command.DryRunResult;
    }
}
