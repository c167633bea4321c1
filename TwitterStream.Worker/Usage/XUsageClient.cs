using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using TwitterStream.Contracts;
using TwitterStream.Worker.XApi;

namespace TwitterStream.Worker.Usage;

/// <summary>The project's post reads this billing cycle, its cap and the day of the month the cap resets, as X reported them.</summary>
internal sealed record XUsageReport(long ProjectUsage, long ProjectCap, int CapResetDay, DateTimeOffset ReadAt);

/// <summary><c>GET /2/usage/tweets</c> with the app-only bearer token, and recognising X's usage-capped refusal.</summary>
internal sealed class XUsageClient(IHttpClientFactory httpClients, TimeProvider time)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <exception cref="HttpRequestException">X refused or the call failed.</exception>
    /// <exception cref="FormatException">The answer is not in X's usage shape.</exception>
    public async Task<XUsageReport> GetAsync(string bearerToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, XApiPaths.Usage);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        // The stream's client (base address, user agent): named, as a second typed client may not share its name.
        var http = httpClients.CreateClient(XApiClient.HttpClientName);
        using var response = await http.SendAsync(request, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            var reason = await XApiClient.ReasonAsync(response, timeout.Token);
            throw new HttpRequestException($"GET {XApiPaths.Usage} → HTTP {(int)response.StatusCode}{reason}", null, response.StatusCode);
        }

        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        return Parse(body, time.GetUtcNow());
    }

    /// <summary>X writes cap and usage as strings of digits; numbers are accepted too.</summary>
    public static XUsageReport Parse(string body, DateTimeOffset readAt)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (!json.RootElement.TryGetProperty(XUsage.Data, out var data) || data.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"The usage answer has no \"{XUsage.Data}\" object.");
            }

            var resetDay = (int)Number(data, XUsage.CapResetDay);
            if (resetDay is < 1 or > 31)
            {
                throw new FormatException($"The usage answer's {XUsage.CapResetDay} is {resetDay}, not a day of the month.");
            }

            return new XUsageReport(Number(data, XUsage.ProjectUsage), Number(data, XUsage.ProjectCap), resetDay, readAt);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"The usage answer is not JSON: {exception.Message}", exception);
        }
    }

    /// <summary>Whether a refused stream request is X's usage cap (a 429 whose problem type is usage-capped).</summary>
    public static async Task<bool> IsUsageCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            // ReadAsStringAsync buffers the body, so the caller can still read the problem's title and detail.
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("type", out var type)
                && type.ValueKind == JsonValueKind.String
                && XUsage.IsUsageCapped(type.GetString());
        }
        catch (Exception exception) when (exception is JsonException or HttpRequestException or IOException)
        {
            return false;
        }
    }

    private static long Number(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var value))
        {
            throw new FormatException($"The usage answer has no \"{name}\".");
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) && number >= 0 => number,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
            _ => throw new FormatException($"The usage answer's \"{name}\" is not a whole number."),
        };
    }
}
