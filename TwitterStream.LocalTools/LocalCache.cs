namespace TwitterStream.LocalTools;

/// <summary>Where downloaded tools live, outside any clone, so every checkout and CI run on a machine shares them.</summary>
public static class LocalCache
{
    /// <summary><c>TWITTERSTREAM_CACHE</c>, else <c>$XDG_CACHE_HOME/twitterstream</c>, else <c>~/.cache/twitterstream</c>.</summary>
    public static string Root
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("TWITTERSTREAM_CACHE");
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return configured;
            }

            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var baseDir = string.IsNullOrWhiteSpace(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
                : xdg;
            return Path.Combine(baseDir, "twitterstream");
        }
    }
}
