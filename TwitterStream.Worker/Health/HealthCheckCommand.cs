namespace TwitterStream.Worker.Health;

/// <summary>
/// <c>TwitterStream.Worker --health-check</c>: asks the running worker's <c>/health</c> on loopback and turns the answer
/// into an exit code, for container health checks in images without curl.
/// </summary>
internal static class HealthCheckCommand
{
    public const string Argument = "--health-check";
    private const int DefaultPort = 8080;

    public static bool IsRequested(string[] args) => args.Contains(Argument, StringComparer.Ordinal);

    public static async Task<int> RunAsync()
    {
        var port = Port(Environment.GetEnvironmentVariable("HTTP_PORTS") ?? Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS"));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}{Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath}"));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }

    /// <summary>The first port of a <c>HTTP_PORTS</c> list such as <c>8080;8081</c>.</summary>
    public static int Port(string? httpPorts)
    {
        var first = httpPorts?.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return int.TryParse(first, out var port) && port is > 0 and < 65536 ? port : DefaultPort;
    }
}
