namespace TwitterStream.Harness;

/// <summary>Finds a program the way a shell does, so a test can skip, or a tool can stop, with the reason when it is missing.</summary>
public static class ExecutableSearch
{
    /// <summary>The first <paramref name="program"/> in the folders of PATH, or null.</summary>
    public static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}
