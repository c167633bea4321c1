namespace TwitterStream.Harness;

/// <summary>
/// Starts one of the solution's own apps (the worker, the simulator) as a separate process: from its build output under
/// <c>dotnet</c>, or as the native executable a Native AOT publish made (<see cref="LaunchOptions.NativeExecutable"/>).
/// </summary>
public static class DotnetApp
{
    public static ManagedProcess Start(
        string assemblyName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        bool inheritEnvironment = true,
        LaunchOptions? launch = null)
    {
        if (launch is { NativeExecutable: true })
        {
            var appDirectory = launch.AppDirectory
                ?? throw new ArgumentException($"{nameof(LaunchOptions.NativeExecutable)} needs the {nameof(LaunchOptions.AppDirectory)} the executable was published to.", nameof(launch));
            IReadOnlyList<string> native = [.. launch.Wrapper ?? [], Path.Combine(appDirectory, assemblyName), .. arguments];
            return ManagedProcess.Start(assemblyName, native[0], native.Skip(1), environment, appDirectory, inheritEnvironment, launch.TranscriptPath);
        }

        var dll = launch?.AppDirectory is { } dllDirectory ? Path.Combine(dllDirectory, assemblyName + ".dll") : Locate(assemblyName);
        IReadOnlyList<string> command = [.. launch?.Wrapper ?? [], DotnetHost, dll, .. arguments];
        return ManagedProcess.Start(assemblyName, command[0], command.Skip(1), environment, Path.GetDirectoryName(dll), inheritEnvironment, launch?.TranscriptPath);
    }

    /// <summary>The <c>dotnet</c> running this process when it was started by the SDK (tests, <c>dotnet run</c>), else the one on PATH.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

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
/// <param name="NativeExecutable">
/// <paramref name="AppDirectory"/> holds a native executable named after the assembly (a <see cref="NativeAotPublish"/>),
/// started directly instead of a dll under <c>dotnet</c>.
/// </param>
public sealed record LaunchOptions(IReadOnlyList<string>? Wrapper = null, string? TranscriptPath = null, string? AppDirectory = null, bool NativeExecutable = false);
