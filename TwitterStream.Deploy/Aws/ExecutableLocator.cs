namespace TwitterStream.Deploy.Aws;

/// <summary>Finds a program on the tool's PATH (the tool's own, so tests can put stand-ins first).</summary>
internal static class ExecutableLocator
{
    public static string? Find(ToolContext context, string program)
    {
        if (Path.IsPathRooted(program) || program.Contains('/', StringComparison.Ordinal))
        {
            var full = context.ResolvePath(program);
            return IsExecutable(full) ? full : null;
        }

        foreach (var directory in (context.GetEnvironment("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
