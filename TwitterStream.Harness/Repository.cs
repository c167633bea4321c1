namespace TwitterStream.Harness;

/// <summary>The clone the tests and benchmarks run from: the folder holding TwitterStream.sln.</summary>
public static class Repository
{
    private const string Marker = "TwitterStream.sln";

    /// <summary>The clone this build output sits in.</summary>
    public static string Root =>
        FindRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"No {Marker} above {AppContext.BaseDirectory}: run from a build inside the clone.");

    /// <summary>The folder holding TwitterStream.sln at or above <paramref name="start"/>, else null.</summary>
    public static string? FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, Marker)))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
