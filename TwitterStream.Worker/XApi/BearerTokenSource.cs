using TwitterStream.Worker.Configuration;

namespace TwitterStream.Worker.XApi;

/// <summary>The app-only bearer token: BEARERTOKEN as given, or exchanged once from the consumer key and secret.</summary>
internal sealed class BearerTokenSource(XApiClient client, WorkerOptions options)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token = options.BearerToken;

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_token is { } token)
        {
            return token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _token ??= await client.ExchangeTokenAsync(options.ConsumerKey!, options.ConsumerSecretKey!, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
