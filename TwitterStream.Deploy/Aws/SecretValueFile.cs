using System.Text;

namespace TwitterStream.Deploy.Aws;

/// <summary>
/// A secret value in a file only its owner can read (0600), for <c>--secret-string file://…</c>, so that the value is
/// never on a command line. Deleted when disposed.
/// </summary>
internal sealed class SecretValueFile : IDisposable
{
    private SecretValueFile(string path) => Path = path;

    public string Path { get; }

    public string FileUrl => "file://" + Path;

    public static SecretValueFile Create(string value)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"twitterstream-secret-{Guid.NewGuid():N}");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        {
            stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(value));
        }

        return new SecretValueFile(path);
    }

    public void Dispose() => File.Delete(Path);
}
