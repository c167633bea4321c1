namespace TwitterStream.Harness;

/// <summary>Waits for a started process to answer, failing early with its output when it dies instead.</summary>
public static class Readiness
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };

    public static async Task WaitForHttpOkAsync(ManagedProcess process, Uri url, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        await WaitUntilAsync(process, async () =>
        {
            using var response = await Probe.GetAsync(url, cancellationToken);
            return response.IsSuccessStatusCode;
        }, timeout, $"{url} to answer 200", cancellationToken);

    public static async Task WaitUntilAsync(ManagedProcess process, Func<Task<bool>> ready, TimeSpan timeout, string what, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"{process.Name} exited with code {process.ExitCode} while waiting for {what}:{Environment.NewLine}{process.RecentOutput}");
            }

            try
            {
                if (await ready())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Amazon.Runtime.AmazonServiceException or System.Net.Sockets.SocketException && !deadline.IsCancellationRequested)
            {
                // Not listening yet.
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"{process.Name} did not get to {what} within {timeout.TotalSeconds:0} s:{Environment.NewLine}{process.RecentOutput}");
            }
        }
    }
}
