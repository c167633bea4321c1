namespace TwitterStream.Harness;

/// <summary>Starts one of the solution's own apps (the worker, the simulator) from its build output as a separate process.</summary>
public static class DotnetApp
{
    public static ManagedProcess Start(
        string assemblyName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        bool inheritEnvironment = true)
    {
        var dll = Locate(assemblyName);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        return ManagedProcess.Start(assemblyName, dotnet, [dll, .. arguments], environment, Path.GetDirectoryName(dll), inheritEnvironment);
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
