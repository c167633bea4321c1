using System.Globalization;

namespace TwitterStream.Harness;

/// <summary>moto's server mode (<c>moto_server</c> from PATH) on a loopback port, in memory, started and ready.</summary>
public sealed class MotoServerProcess : IAsyncDisposable
{
    public const string Program = "moto_server";

    private MotoServerProcess(ManagedProcess process, int port)
    {
        Process = process;
        ServiceUrl = new Uri($"http://127.0.0.1:{port}");
    }

    public ManagedProcess Process { get; }

    public Uri ServiceUrl { get; }

    /// <summary>The <c>moto_server</c> on PATH, or null; a test without it skips with <see cref="MissingReason"/>.</summary>
    public static string? FindOnPath() => ExecutableSearch.OnPath(Program);

    public const string MissingReason = "moto_server is not on PATH (pip install \"moto[server]\")";

    public static async Task<MotoServerProcess> StartAsync(string motoServer, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(motoServer);
        var port = LocalPorts.Free();
        var process = ManagedProcess.Start(Program, motoServer, ["-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)]);
        var moto = new MotoServerProcess(process, port);
        try
        {
            await Readiness.WaitForHttpOkAsync(process, new Uri(moto.ServiceUrl, "/moto-api/"), TimeSpan.FromSeconds(60), cancellationToken);
            return moto;
        }
        catch
        {
            await moto.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
