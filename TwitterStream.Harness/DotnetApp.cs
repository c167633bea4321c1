namespace TwitterStream.Harness;

/// <summary>Starts one of the solution's own apps (the worker, the simulator) from its build output as a separate process.</summary>
public static class DotnetApp
{
    public static ManagedProcess Start(
        string assemblyName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        bool inheritEnvironment = true,
        LaunchOptions? launch = null)
    {
        var dll = launch?.AppDirectory is { } appDirectory ? Path.Combine(appDirectory, assemblyName + ".dll") : Locate(assemblyName);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        IReadOnlyList<string> command = [.. launch?.Wrapper ?? [], dotnet, dll, .. arguments];
        return ManagedProcess.Start(assemblyName, command[0], command.Skip(1), environment, Path.GetDirectoryName(dll), inheritEnvironment, launch?.TranscriptPath);
    }

    /// <summary>
    /// The app's dll: beside the calling assembly (a project reference copies an app with its deps and runtimeconfig),
    /// else in the app's own project output.
    /// </summary>
    public static string Locate(string assemblyName)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll");
        if (File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json")))
        {
            return beside;
        }

        throw new FileNotFoundException(
            $"{assemblyName}.dll is not beside {AppContext.BaseDirectory}: reference the {assemblyName} project from the project that runs it and build again.");
    }
}

/// <summary>How to start an app beyond its settings.</summary>
/// <param name="Wrapper">A command the app is started under (it must exec the rest of its arguments), e.g. <see cref="ReadOnlyRoot.Wrapper"/>.</param>
/// <param name="TranscriptPath">A file that receives every line the process writes.</param>
/// <param name="AppDirectory">Where the app's dll is instead of beside the caller, e.g. an <see cref="AppImageCopy"/>.</param>
public sealed record LaunchOptions(IReadOnlyList<string>? Wrapper = null, string? TranscriptPath = null, string? AppDirectory = null);
