using System.Globalization;

namespace TwitterStream.Harness;

/// <summary>One of the solution's HTTP apps run as its own process on a loopback port, with a client for its endpoints.</summary>
public abstract class HttpAppProcess : IAsyncDisposable
{
    protected HttpAppProcess(ManagedProcess process, Uri baseUrl, TimeSpan requestTimeout)
    {
        Process = process;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = requestTimeout };
    }

    public ManagedProcess Process { get; }

    public Uri BaseUrl { get; }

    protected HttpClient Http { get; }

    protected static Uri LoopbackUrl(int port) => new($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Waits until the started app answers 200 on <paramref name="readyPath"/>; if it never does, ends it.</summary>
    protected static async Task<TApp> WhenReadyAsync<TApp>(TApp app, string readyPath, CancellationToken cancellationToken)
        where TApp : HttpAppProcess
    {
        try
        {
            await Readiness.WaitForHttpOkAsync(app.Process, new Uri(app.BaseUrl, readyPath), TimeSpan.FromSeconds(60), cancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
