using System.Text;

namespace TwitterStream.Deploy.Aws;

/// <summary>
/// One external command. Arguments are shown as they are, so nothing secret may ever be one; secret inputs travel in
/// <see cref="SecretEnvironment"/> (shown by name only) or in a 0600 file (<see cref="SecretValueFile"/>).
/// </summary>
internal sealed record CommandSpec(string Program, IReadOnlyList<string> Arguments)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> SecretEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Forward the command's output as it comes (long builds and stack waits), instead of only capturing it.</summary>
    public bool StreamOutput { get; init; }

    /// <summary>What a dry run pretends the command answered, so the rest of the sequence can be shown.</summary>
    public CommandResult DryRunResult { get; init; } = CommandResult.Ok("");

    public string Display
    {
        get
        {
            var text = new StringBuilder();
            foreach (var (name, value) in Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                text.Append(name).Append('=').Append(Quote(value)).Append(' ');
            }

            foreach (var name in SecretEnvironment.Keys.Order(StringComparer.Ordinal))
            {
                text.Append(name).Append("=<hidden> ");
            }

            text.Append(Path.GetFileName(Program));
            foreach (var argument in Arguments)
            {
                text.Append(' ').Append(Quote(argument));
            }

            return text.ToString();
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./:=,@+%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

internal sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    public static CommandResult Ok(string stdout) => new(0, stdout, "");

    public static CommandResult Failed(string stderr) => new(254, "", stderr);

    /// <summary>The first non-empty line of stderr: what an error message quotes.</summary>
    public string Reason => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? $"exit code {ExitCode}";
}
