using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TwitterStream.Contracts;
using TwitterStream.Worker.XApi;

namespace TwitterStream.Worker.Compliance;

/// <summary>A compliance job as X describes it.</summary>
internal sealed record ComplianceJob(string Id, string Status, Uri UploadUrl, Uri DownloadUrl);

/// <summary>One line of a job's results: a post id and what to do with the stored copy.</summary>
internal sealed record ComplianceResult(string Id, string Action, string Reason);

/// <summary>
/// X's batch compliance calls (<see cref="XCompliance"/>): create a job and read it with the app-only bearer token,
/// upload the ids to and read the results from the pre-signed storage URLs X hands out (no bearer there).
/// </summary>
internal sealed class XComplianceClient(IHttpClientFactory httpClients)
{
    /// <summary>Storage URLs: no base address, no X headers; the upload of 100,000 ids takes a while on a slow link.</summary>
    public const string StorageClientName = "x-compliance-storage";

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TransferTimeout = TimeSpan.FromMinutes(10);

    public async Task<ComplianceJob> CreateJobAsync(string bearerToken, string name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, XApiPaths.ComplianceJobs)
        {
            Content = new StringContent(
                new JsonObject { [XCompliance.Type] = XCompliance.TweetsType, [XCompliance.Name] = name }.ToJsonString(),
                Encoding.UTF8, "application/json"),
        };
        return await SendForJobAsync(request, bearerToken, "POST " + XApiPaths.ComplianceJobs, cancellationToken);
    }

    public async Task<ComplianceJob> GetJobAsync(string bearerToken, string jobId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, XCompliance.JobPath(jobId));
        return await SendForJobAsync(request, bearerToken, "GET " + XApiPaths.ComplianceJobs + "/:id", cancellationToken);
    }

    /// <summary>The ids one per line, as X's upload takes them.</summary>
    public async Task UploadAsync(Uri uploadUrl, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var body = new StringBuilder(ids.Count * 20);
        foreach (var id in ids)
        {
            body.Append(id).Append('\n');
        }

        using var request = new HttpRequestMessage(HttpMethod.Put, uploadUrl)
        {
            Content = new StringContent(body.ToString(), Encoding.UTF8, "text/plain"),
        };
        using var timeout = Timeout(cancellationToken, TransferTimeout);
        using var response = await httpClients.CreateClient(StorageClientName).SendAsync(request, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The upload of {ids.Count} ids to the job's upload_url was refused: HTTP {(int)response.StatusCode}.", null, response.StatusCode);
        }
    }

    /// <summary>The job's result lines; a line that is not a result object stops the read (nothing is half-trusted).</summary>
    public async Task<IReadOnlyList<ComplianceResult>> DownloadAsync(Uri downloadUrl, CancellationToken cancellationToken)
    {
        using var timeout = Timeout(cancellationToken, TransferTimeout);
        using var response = await httpClients.CreateClient(StorageClientName).GetAsync(downloadUrl, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The job's download_url answered HTTP {(int)response.StatusCode}.", null, response.StatusCode);
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var results = new List<ComplianceResult>();
        var number = 0;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                results.Add(ParseResult(line, number));
            }
        }

        return results;
    }

    public static ComplianceResult ParseResult(string line, int number)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var id = Text(root, XCompliance.Id);
            if (id is null || !id.All(char.IsAsciiDigit))
            {
                throw new FormatException($"Result line {number} has no post id of digits.");
            }

            var action = Text(root, XCompliance.Action) ?? throw new FormatException($"Result line {number} (post {id}) has no action.");
            return new ComplianceResult(id, action, Text(root, XCompliance.Reason) ?? "unknown");
        }
        catch (JsonException exception)
        {
            throw new FormatException($"Result line {number} is not JSON: {exception.Message}", exception);
        }
    }

    private async Task<ComplianceJob> SendForJobAsync(HttpRequestMessage request, string bearerToken, string call, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        using var timeout = Timeout(cancellationToken, CallTimeout);
        using var response = await httpClients.CreateClient(XApiClient.HttpClientName).SendAsync(request, timeout.Token);
        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{call} → HTTP {(int)response.StatusCode}{Reason(body)}", null, response.StatusCode);
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (!json.RootElement.TryGetProperty(XCompliance.Data, out var data) || data.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{call} answered without a \"{XCompliance.Data}\" object{Reason(body)}.");
            }

            return new ComplianceJob(
                Text(data, XCompliance.Id) ?? throw new FormatException($"{call} answered a job without an id."),
                Text(data, XCompliance.Status) ?? throw new FormatException($"{call} answered a job without a status."),
                Url(data, XCompliance.UploadUrl, call),
                Url(data, XCompliance.DownloadUrl, call));
        }
        catch (JsonException exception)
        {
            throw new FormatException($"{call} answered with something that is not JSON: {exception.Message}", exception);
        }
    }

    /// <summary>X's problem title and detail (never the request), to say why it refused.</summary>
    private static string Reason(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "";
            }

            var detail = Text(root, "detail") ?? (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
                ? Text(errors[0], "message") ?? Text(errors[0], "detail")
                : null);
            return detail is null ? "" : $": {Text(root, "title") ?? "error"}: {detail}";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static Uri Url(JsonElement data, string name, string call) =>
        Text(data, name) is { } text && Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new FormatException($"{call} answered a job without an absolute {name}.");

    private static CancellationTokenSource Timeout(CancellationToken cancellationToken, TimeSpan after)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(after);
        return timeout;
    }
}
